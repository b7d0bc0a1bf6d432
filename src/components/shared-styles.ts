import { css } from "lit";

export const buttonStyles = css`
  button {
    font: inherit;
    border: 1px solid var(--sip-border, #c9d1d9);
    background: var(--sip-button-bg, #f6f8fa);
    color: inherit;
    border-radius: 8px;
    padding: 0.5em 0.9em;
    cursor: pointer;
  }
  button:focus-visible {
    outline: 2px solid var(--sip-accent, #1f6feb);
    outline-offset: 2px;
  }
  button.call {
    background: var(--sip-call-bg, #1a7f37);
    border-color: transparent;
    color: #fff;
  }
  button.hangup {
    background: var(--sip-hangup-bg, #cf222e);
    border-color: transparent;
    color: #fff;
  }
  button[aria-pressed="true"] {
    background: var(--sip-accent, #1f6feb);
    color: #fff;
  }
`;
