// sipp scenarios for a desk phone under click-to-call control (SIPTAPI's standard mode): it is
// INVITEd with an auto-answer header, answers, receives a REFER to the number to dial, reports
// progress with NOTIFYs and is released with BYE. Variants play the failures.
//   ok        180, 200; REFER → 202; NOTIFY 100 Trying, NOTIFY 200 OK (terminated); BYE → 200
//   busy      as ok, but the final NOTIFY says 486 Busy Here
//   refer405  REFER → 405 Method Not Allowed; BYE → 200
//   noanswer  180 and nothing more; CANCEL → 200 + 487

const ringing = `
  <send>
    <![CDATA[
      SIP/2.0 180 Ringing
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      [last_Record-Route:]
      Contact: <sip:desk@[local_ip]:[local_port]>
      Content-Length: 0
    ]]>
  </send>`;

const answer = `${ringing}
  <send retrans="500">
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      [last_Record-Route:]
      Contact: <sip:desk@[local_ip]:[local_port]>
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=desk 1 1 IN IP[local_ip_type] [local_ip]
      s=desk
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0 8
      a=rtpmap:0 PCMU/8000
      a=rtpmap:8 PCMA/8000
      a=inactive
    ]]>
  </send>
  <recv request="ACK"/>`;

/** @type {(cseq: number, state: string, frag: string) => string} */
const notify = (cseq, state, frag) => `
  <send retrans="500">
    <![CDATA[
      NOTIFY [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: [$to_hdr];tag=[pid]SIPpTag01[call_number]
      To: [$from_hdr]
      [routes]
      Call-ID: [call_id]
      CSeq: ${cseq} NOTIFY
      Max-Forwards: 70
      Contact: <sip:desk@[local_ip]:[local_port]>
      Event: refer
      Subscription-State: ${state}
      Content-Type: message/sipfrag;version=2.0
      Content-Length: [len]

      ${frag}
    ]]>
  </send>
  <recv response="200"/>`;

/** @type {(code: number, text: string, extra?: string) => string} */
const reply = (code, text, extra = "") => `
  <send>
    <![CDATA[
      SIP/2.0 ${code} ${text}
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]${extra}
      Content-Length: 0
    ]]>
  </send>`;

const byeFromPhone = `
  <recv request="BYE"/>${reply(200, "OK")}`;

/**
 * The scenario XML for one variant (see above).
 * @param {"ok" | "busy" | "refer405" | "noanswer"} variant
 */
export function deskPhoneScenario(variant) {
  let body;
  // sipp refuses variables that are set and never used: each variant captures what it sends.
  const capture =
    variant === "noanswer"
      ? `<ereg regexp="[^;]*" search_in="hdr" header="CSeq:" assign_to="invite_cseq"/>
      <ereg regexp="Via: .*" search_in="msg" assign_to="invite_vias"/>`
      : variant === "refer405"
        ? ""
        : `<ereg regexp=".*" search_in="hdr" header="From:" assign_to="from_hdr"/>
      <ereg regexp="[^;]*" search_in="hdr" header="To:" assign_to="to_hdr"/>`;
  const invite = `
  <recv request="INVITE" crlf="true" rrs="true">${
    capture
      ? `
    <action>
      ${capture}
    </action>`
      : ""
  }
  </recv>`;
  if (variant === "noanswer") {
    body = `${invite}${ringing}
  <recv request="CANCEL"/>${reply(200, "OK")}
  <send>
    <![CDATA[
      SIP/2.0 487 Request Terminated
      [$invite_vias]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      CSeq: [$invite_cseq]
      Content-Length: 0
    ]]>
  </send>
  <recv request="ACK"/>`;
  } else if (variant === "refer405") {
    body = `${invite}${answer}
  <recv request="REFER"/>${reply(405, "Method Not Allowed", "\n      Allow: INVITE, ACK, CANCEL, BYE")}${byeFromPhone}`;
  } else {
    const final = variant === "busy" ? "SIP/2.0 486 Busy Here" : "SIP/2.0 200 OK";
    body = `${invite}${answer}
  <recv request="REFER"/>${reply(202, "Accepted")}${notify(1, "active;expires=60", "SIP/2.0 100 Trying")}${notify(2, "terminated;reason=noresource", final)}${byeFromPhone}`;
  }
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="desk phone (${variant})">${body}
</scenario>
`;
}
