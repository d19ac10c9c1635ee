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

// Photo captions: one box per chosen photo, next to its picture. The boxes write their lines
// into the "คำบรรยายภาพ" text area, which is what the server reads (one line per photo, by file
// order), so without JavaScript the text area alone still works.
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-photo-captions]").forEach(function (area) {
    var input = document.querySelector('input[type="file"][name="' + area.dataset.photoCaptions + '"]');
    var field = area.closest(".field");
    if (!input || !field) {
      return;
    }
    var list = document.createElement("ol");
    list.className = "caption-rows";
    field.appendChild(list);
    var urls = [];

    function sync() {
      var lines = Array.prototype.map.call(list.querySelectorAll("input"), function (box) {
        return box.value.replace(/[\r\n]+/g, " ");
      });
      area.value = lines.join("\n");
    }

    function draw() {
      var typed = area.value.split("\n");
      urls.forEach(function (url) { URL.revokeObjectURL(url); });
      urls = [];
      list.textContent = "";
      var files = Array.prototype.slice.call(input.files || []);
      files.forEach(function (file, index) {
        var row = document.createElement("li");
        row.className = "caption-row";
        var picture = document.createElement("img");
        var url = URL.createObjectURL(file);
        urls.push(url);
        picture.src = url;
        picture.alt = "";
        var box = document.createElement("div");
        var id = area.id + "_" + index;
        var label = document.createElement("label");
        label.htmlFor = id;
        label.textContent = area.dataset.rowLabel.replace("{number}", index + 1).replace("{name}", file.name);
        var text = document.createElement("input");
        text.type = "text";
        text.id = id;
        text.maxLength = 500;
        text.value = typed[index] || "";
        text.addEventListener("input", sync);
        box.appendChild(label);
        box.appendChild(text);
        row.appendChild(picture);
        row.appendChild(box);
        list.appendChild(row);
      });
      // With photos chosen, the boxes replace the text area; with none, the text area stays
      // only if it holds something (or an error) that would otherwise be hidden.
      var chosen = files.length > 0;
      var label = field.querySelector('label[for="' + area.id + '"]');
      var help = document.getElementById(area.id + "_helptext");
      [area, label, help].forEach(function (element) {
        if (element) {
          element.hidden = chosen;
        }
      });
      field.hidden = !chosen && !area.value.trim() && !field.classList.contains("has-error");
      if (!chosen) {
        return;
      }
      sync();
    }

    input.addEventListener("change", draw);
    draw();
  });
})();

// File formats: tick the format of each chosen file, as the server will when it stores them.
(function () {
  "use strict";
  var formatOf = { pdf: "pdf", jpg: "jpg", jpeg: "jpg", jfif: "jpg", png: "jpg", docx: "word", xlsx: "excel" };
  var inputs = document.querySelectorAll('input[type="file"][name="attachments"], input[type="file"][name="photos"]');
  inputs.forEach(function (input) {
    input.addEventListener("change", function () {
      Array.prototype.forEach.call(input.files || [], function (file) {
        var extension = file.name.split(".").pop().toLowerCase();
        var box = document.querySelector('input[name="file_formats"][value="' + formatOf[extension] + '"]');
        if (box) {
          box.checked = true;
        }
      });
    });
  });
})();
