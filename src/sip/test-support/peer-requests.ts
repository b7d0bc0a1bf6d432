import { IncomingRequestMessage, type IncomingResponseMessage } from "sip.js/lib/core/index.js";
import type { MemoryPeer } from "./memory-peer.js";

let seq = 0;

/**
 * An out-of-dialog request from the in-memory peer to a registered user (an unsolicited NOTIFY,
 * a MESSAGE), as a proxy relays it: to the user's Contact, on its socket. Returns the Call-ID
 * and a reader of the phone's responses to it.
 */
export function sendOutOfDialog(
  peer: MemoryPeer,
  user: string,
  method: string,
  {
    headers = [],
    body = "",
    contentType,
    from = '"Peer" <sip:1002@pbx.test>',
  }: { headers?: string[]; body?: string; contentType?: string; from?: string } = {},
): { callId: string; responses(): IncomingResponseMessage[] } {
  const contact = peer.contacts.get(user);
  if (!contact) throw new Error(`${user} is not registered`);
  const callId = `ood-${++seq}-${Math.random().toString(36).slice(2, 8)}`;
  const lines = [
    `${method} ${contact.uri} SIP/2.0`,
    `Via: SIP/2.0/WSS peer.test;branch=z9hG4bK${callId}`,
    "Max-Forwards: 70",
    `From: ${from};tag=f${callId}`,
    `To: <sip:${user}@pbx.test>`,
    `Call-ID: ${callId}`,
    `CSeq: 1 ${method}`,
    ...headers,
    ...(contentType ? [`Content-Type: ${contentType}`] : []),
  ];
  peer.send(contact.socket, `${lines.join("\r\n")}\r\nContent-Length: ${new TextEncoder().encode(body).length}\r\n\r\n${body}`);
  return {
    callId,
    responses: () =>
      peer.received.filter((m): m is IncomingResponseMessage => !(m instanceof IncomingRequestMessage) && m.callId === callId),
  };
}
