import type { CallStats } from "../../api/platform.js";

export type { CallStats };

export async function readCallStats(pc: RTCPeerConnection): Promise<CallStats> {
  const report = await pc.getStats();
  const out: CallStats = {
    packetsReceived: 0,
    packetsSent: 0,
    packetsLost: 0,
    bytesReceived: 0,
    audioLevel: 0,
    totalAudioEnergy: 0,
    jitterMs: 0,
  };
  const codecs = new Map<string, string>();
  let codecId: string | undefined;
  report.forEach((s: Record<string, unknown> & { type: string; id: string }) => {
    if (s.type === "codec") codecs.set(s.id, String(s.mimeType ?? ""));
    if (s.type === "inbound-rtp" && s.kind === "audio") {
      out.packetsReceived += Number(s.packetsReceived ?? 0);
      out.packetsLost += Number(s.packetsLost ?? 0);
      out.bytesReceived += Number(s.bytesReceived ?? 0);
      out.audioLevel = Math.max(out.audioLevel, Number(s.audioLevel ?? 0));
      out.totalAudioEnergy += Number(s.totalAudioEnergy ?? 0);
      out.jitterMs = Math.max(out.jitterMs, Number(s.jitter ?? 0) * 1000);
      codecId = s.codecId as string | undefined;
    }
    if (s.type === "outbound-rtp" && s.kind === "audio") out.packetsSent += Number(s.packetsSent ?? 0);
    if (s.type === "candidate-pair" && s.nominated && s.currentRoundTripTime !== undefined) {
      out.roundTripMs = Number(s.currentRoundTripTime) * 1000;
    }
  });
  if (codecId) out.codec = codecs.get(codecId)?.replace(/^audio\//, "");
  return out;
}
