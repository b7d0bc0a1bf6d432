import { css } from "lit";
import { avatarStyles, buttonStyles, fieldStyles } from "./shared-styles.js";

/** The call card's look (call-panel.ts): its states, the incoming call's larger card, the forms. */
export const callPanelStyles = [
  buttonStyles,
  fieldStyles,
  avatarStyles,
  css`
    :host {
      display: block;
    }
    section {
      display: grid;
      gap: var(--sip-space-4);
      padding: var(--sip-space-4);
      border: 1px solid var(--sip-border);
      border-radius: var(--sip-radius-lg);
      background: var(--sip-surface);
    }
    .head {
      display: grid;
      grid-template-columns: auto minmax(0, 1fr) auto;
      column-gap: var(--sip-space-3);
      align-items: center;
    }
    .head > * {
      grid-column: 2;
    }
    .head > .avatar {
      grid-column: 1;
      grid-row: 1 / span 3;
      --size: 3rem;
    }
    .head > sip-call-quality {
      grid-column: 2 / -1;
      margin-top: var(--sip-space-1);
    }
    .who {
      font-size: var(--sip-text-lg);
      font-weight: 600;
      line-height: 1.25;
      overflow-wrap: anywhere;
    }
    .number {
      color: var(--sip-muted);
      font-size: var(--sip-text-sm);
      overflow-wrap: anywhere;
    }
    .status {
      display: contents;
    }
    .state {
      grid-column: 2;
      font-size: var(--sip-text-sm);
      font-weight: 600;
      color: var(--sip-muted);
    }
    [data-state="incoming"] .state,
    [data-state="dialing"] .state,
    [data-state="ringing"] .state {
      color: var(--sip-state-ringing);
    }
    [data-state="established"] .state {
      color: var(--sip-state-in-call);
    }
    [data-held] .state {
      color: var(--sip-state-held);
    }
    .timer {
      grid-column: 3;
      grid-row: 1 / span 2;
      font-size: var(--sip-text-xl);
      font-weight: 600;
      font-variant-numeric: tabular-nums;
      letter-spacing: -0.01em;
    }
    .details {
      font-size: var(--sip-text-sm);
    }
    .details > :first-child {
      margin-top: var(--sip-space-2);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--sip-space-2);
    }
    .main {
      display: grid;
      grid-template-columns: 1fr;
    }
    .main.live {
      grid-template-columns: repeat(4, minmax(0, 1fr));
    }
    .main.live .hangup {
      grid-column: 1 / -1;
    }
    .main.live button:not(.hangup) {
      flex-direction: column;
      gap: var(--sip-space-1);
      min-height: 4rem;
      padding-inline: var(--sip-space-1);
      font-size: var(--sip-text-sm);
    }
    .main.live button:not(.hangup) .icon {
      width: 1.5rem;
      height: 1.5rem;
    }
    .main .hangup,
    .main .call {
      min-height: 3rem;
      border-radius: var(--sip-radius-full);
    }
    /* A call coming in: a card of its own, the caller large, Answer and Decline side by side. */
    [data-state="incoming"] {
      gap: var(--sip-space-5);
      padding-block: var(--sip-space-5);
      border-color: var(--sip-state-ringing);
    }
    [data-state="incoming"] .head {
      grid-template-columns: minmax(0, 1fr);
      justify-items: center;
      text-align: center;
      row-gap: var(--sip-space-1);
    }
    [data-state="incoming"] .head > *,
    [data-state="incoming"] .state {
      grid-column: 1;
      grid-row: auto;
    }
    [data-state="incoming"] .avatar {
      --size: 5rem;
      margin-bottom: var(--sip-space-2);
      animation: ring 1.6s ease-out infinite;
    }
    [data-state="incoming"] .who {
      font-size: var(--sip-text-xl);
    }
    [data-state="incoming"] .number {
      font-size: var(--sip-text-md);
    }
    [data-state="incoming"] .main {
      grid-template-columns: 1fr 1fr;
      gap: var(--sip-space-4);
    }
    [data-state="incoming"] .main button {
      min-height: 3.5rem;
      font-size: var(--sip-text-lg);
    }
    @keyframes ring {
      from {
        box-shadow: 0 0 0 0 color-mix(in srgb, var(--sip-state-ringing) 55%, transparent);
      }
      to {
        box-shadow: 0 0 0 1rem transparent;
      }
    }
    form.actions input {
      flex: 1 1 9rem;
    }
    sip-keypad {
      --sip-key-size: 3.5rem;
    }
    .error {
      color: var(--sip-danger);
      margin: 0;
    }
  `,
];
