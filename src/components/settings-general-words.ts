/** The General settings' words (English), apart from the component so that the catalogue can take them over. */
export const GENERAL_WORDS = {
  heading: "General",
  theme: "Theme",
  themes: { auto: "As the system", light: "Light", dark: "Dark" },
  links: "Links that dial",
  linksNote: "A call link from a web page or another app (tel:, sip:) shows the number first and waits for Call.",
  askBefore: (line: string) => `Ask before dialling on ${line}`,
  notifications: "Notifications",
  notificationState: {
    granted: "Allowed: incoming calls and messages show while the phone is in the background.",
    denied: "Blocked in this browser: allow them in the site's settings to see calls in the background.",
    default: "Not asked yet.",
    unsupported: "This browser shows no notifications.",
  } as Record<NotificationPermission | "unsupported", string>,
  allow: "Allow notifications",
  diagnostics: "Diagnostics",
  diagnosticsNote: "Versions, line and call states, settings and the SIP trace, for a support desk. No passwords.",
  exportDiagnostics: "Export diagnostics",
  saveFailed: (why: string) => `Could not save: ${why}`,
};
