// The request form: show the e-mail or "other" box only when that channel is chosen.
// Without JavaScript both boxes stay visible, so the form still works.
(function () {
  "use strict";
  var boxes = { email: "id_channel_email_field", other: "id_channel_other_field" };
  var radios = document.querySelectorAll('input[name="channel"]');
  if (!radios.length) {
    return;
  }
  function update() {
    var chosen = document.querySelector('input[name="channel"]:checked');
    var value = chosen ? chosen.value : "";
    Object.keys(boxes).forEach(function (key) {
      var box = document.getElementById(boxes[key]);
      if (!box) {
        return;
      }
      // Keep a box with an error message visible, whatever is chosen.
      box.hidden = value !== key && !box.classList.contains("has-error");
    });
  }
  radios.forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
