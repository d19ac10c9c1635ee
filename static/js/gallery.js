// The item page's photo gallery: open a thumbnail's full picture in a <dialog> with previous /
// next buttons, the arrow keys and Escape. Without JavaScript (or without <dialog>) each
// thumbnail is a plain link to the full picture, so nothing depends on this file.
(function () {
  "use strict";
  var gallery = document.querySelector("[data-gallery]");
  if (!gallery || typeof HTMLDialogElement === "undefined") {
    return;
  }
  var links = Array.prototype.slice.call(gallery.querySelectorAll("a[href]"));
  if (!links.length) {
    return;
  }
  var lang = document.documentElement.lang || "th";
  var words = lang === "en"
    ? { prev: "Previous", next: "Next", close: "Close", of: " of " }
    : { prev: "ก่อนหน้า", next: "ถัดไป", close: "ปิด", of: " จาก " };

  function make(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text) { el.textContent = text; }
    return el;
  }

  var dialog = make("dialog", "photo-viewer");
  var controls = make("div", "viewer-controls");
  var prev = make("button", "", "‹ " + words.prev);
  var count = make("span", "viewer-count");
  var next = make("button", "", words.next + " ›");
  var close = make("button", "", "✕ " + words.close);
  [prev, next, close].forEach(function (b) { b.type = "button"; });
  controls.append(prev, count, next, close);
  var figure = make("figure");
  var img = make("img");
  var caption = make("figcaption");
  figure.append(img, caption);
  dialog.append(controls, figure);
  dialog.setAttribute("aria-label", document.querySelector("#photos-heading") ?
    document.querySelector("#photos-heading").textContent : "");
  document.body.append(dialog);

  var current = 0;
  var opener = null;

  function show(index) {
    current = (index + links.length) % links.length;
    var link = links[current];
    var thumb = link.querySelector("img");
    img.src = link.href;
    img.alt = thumb ? thumb.alt : "";
    caption.textContent = link.getAttribute("data-caption") || "";
    count.textContent = (current + 1) + words.of + links.length;
    prev.hidden = next.hidden = links.length < 2;
  }

  links.forEach(function (link, index) {
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
        return; // let "open in new tab" work as usual
      }
      event.preventDefault();
      opener = link;
      show(index);
      dialog.showModal();
      close.focus();
    });
  });
  prev.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  close.addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
    if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
  });
  // A click on the dark area around the picture closes the viewer too.
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) { dialog.close(); }
  });
  // Escape is handled by <dialog> itself; focus goes back to the thumbnail that opened it.
  dialog.addEventListener("close", function () {
    img.removeAttribute("src");
    if (opener) { opener.focus(); }
  });
})();
