/**
 * Words for the user: SIP responses and transport failures as sentences a person understands,
 * naming what to check. Used by lines (registration) and calls.
 */
export function describeRegistrationFailure(code: number, reason: string): string {
  if (code === 401 || code === 407 || code === 403) {
    return `Authentication failed (${code}): check user and password`;
  }
  if (code === 404) return `Unknown account (404 ${reason}): check the SIP address`;
  if (code === 408) return `The server did not answer in time (408)`;
  if (code === 423) return `Registration interval too short for this server (423)`;
  if (code === 503) return `Server unavailable (503 ${reason})`;
  if (code >= 500) return `Server error (${code} ${reason})`;
  return `Registration refused (${code} ${reason})`;
}

export function describeCallFailure(code: number, reason: string): string {
  switch (code) {
    case 404:
    case 484:
    case 604:
      return `Number not found (${code})`;
    case 480:
      return `Not available right now (480)`;
    case 408:
      return `No answer (408)`;
    case 486:
    case 600:
      return `Busy (${code})`;
    case 603:
      return `Declined (603)`;
    case 487:
      return `Call cancelled (487)`;
    case 488:
    case 606:
      return `Call not possible: no common audio format or security setting (${code})`;
    case 401:
    case 407:
    case 403:
      return `Not allowed to call (${code}): check user and password`;
    default:
      return code >= 500 ? `Server error (${code} ${reason})` : `Call failed (${code} ${reason})`;
  }
}

export function describeTransportFailure(server: string, retryInMs?: number): string {
  const retry = retryInMs === undefined ? "" : `, retrying in ${Math.max(1, Math.round(retryInMs / 1000))} s`;
  // Browsers do not say why a WebSocket failed (refused, DNS, TLS): name the usual causes.
  return `Cannot reach ${server}: no connection (server down, wrong address or untrusted certificate)${retry}`;
}

/** getUserMedia errors, as a sentence. */
export function describeMediaError(error: unknown): string {
  const name = (error as { name?: string } | null)?.name;
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return "Microphone access is blocked: allow it in the browser's site settings";
    case "NotFoundError":
    case "OverconstrainedError":
      return "No microphone found: connect one and try again";
    case "NotReadableError":
    case "AbortError":
      return "The microphone is in use by another program or could not be opened";
    default:
      return `Microphone unavailable (${name ?? String(error)})`;
  }
}
