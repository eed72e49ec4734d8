// A QR code on a code sheet opens /svar/#kode=ABCDE-23456. The fragment never reaches the
// server (nor its request log, nor a Referer): copy the code into the form that posts it, and
// take it out of the address bar and the history. Without JavaScript the person types it.
(function () {
  "use strict";
  var match = /(?:^#|&)kode=([^&]*)/.exec(window.location.hash);
  if (!match) {
    return;
  }
  var field = document.getElementById("id_code");
  if (field && !field.value) {
    try {
      field.value = decodeURIComponent(match[1]).slice(0, 20);
    } catch (error) {
      // A malformed fragment: leave the field for the person to fill in.
    }
  }
  window.history.replaceState(null, "", window.location.pathname);
})();
