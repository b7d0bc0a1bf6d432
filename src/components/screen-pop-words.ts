/** The screen pop's words (English), apart from its logic so that the catalogue can take them over. */
export const SCREEN_POP_WORDS = {
  /** The link on the call's card to the caller's CRM page. */
  link: "Open the caller in the CRM",
  /** After it, when the browser refused to open the window by itself. */
  blocked: "The browser blocked the CRM window: use the link, or allow pop-ups for this site.",
};
