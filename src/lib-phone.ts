// The phone part of the library (see lib.ts): the <sip-phone> element with the whole phone
// behind it. Loaded only by a page that has, or gets, a <sip-phone>.
// First: the app factory must be set before the element is defined (see install-app.ts).
import "./install-app.js";
export { SipPhone } from "./components/sip-phone.js";
