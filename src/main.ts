// The app page: the <sip-phone> element plus what only a full page does (service worker,
// provisioning link).
import "./components/sip-phone.js";
import { provisionFromUrl } from "./app/provision.js";

const phone = document.querySelector("sip-phone");
if (phone) void provisionFromUrl(phone, new URL(location.href));

if (import.meta.env.PROD && "serviceWorker" in navigator) {
  void navigator.serviceWorker.register("/sw.js", { type: "module" }).catch(() => undefined);
}
