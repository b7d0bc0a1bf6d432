/**
 * A call's video, as its snapshot shows it (`CallSnapshot.video`, present once the call has or
 * is offered video). Read from the descriptions negotiated last (video-sdp.ts), so it says what
 * flows, not what was asked for.
 */
export interface VideoSnapshot {
  /** We send video (our camera, or the screen with `screen`). */
  local: boolean;
  /** The other party sends video and we receive it. */
  remote: boolean;
  /** What we send is a shared screen, not the camera. */
  screen: boolean;
  /**
   * The other party asks for our video (its offer has a video stream that would receive ours)
   * and we do not send it: the user is asked (`acceptVideo` / `declineVideo`). An incoming
   * video call rings with this set. Never acted on by itself: our camera stays closed.
   */
  requested: boolean;
}
