import { css } from "lit";

/**
 * The form layout the Settings sections share (Audio, Ringtones): a labelled field per
 * setting, a row of a control and its buttons. Loaded with the Settings view, not the app.
 */
export const settingsFieldStyles = css`
  :host {
    display: grid;
    gap: 0.7rem;
  }
  .field {
    display: grid;
    gap: 0.25rem;
  }
  label {
    font-weight: 600;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
    align-items: center;
  }
  select {
    font: inherit;
    flex: 1 1 12rem;
    min-width: 0;
  }
`;
