// The share kit's "copy" button: shown only where the clipboard can be written.
(function () {
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.dataset.copy);
      navigator.clipboard.writeText(source.value).then(function () {
        var done = button.parentElement.querySelector("[data-copied]");
        if (done) done.hidden = false;
      });
    });
  });
})();
