// Keeps what a signed-in person types in post forms, in this tab, until the server says the
// post arrived (esa_publish/drafts.py explains why and when). Files cannot be kept.
(function () {
  "use strict";
  var script = document.querySelector("script[data-drafts-user]");
  if (!script || !window.sessionStorage) {
    return;
  }
  var PREFIX = "esa-draft:";
  var user = script.dataset.draftsUser;
  var done = (script.dataset.draftsDone || "").split(" ").filter(Boolean);
  var SKIPPED_TYPES = ["password", "file", "hidden", "submit", "button", "reset", "image"];

  function storedKeys() {
    var keys = [];
    for (var i = 0; i < sessionStorage.length; i += 1) {
      var key = sessionStorage.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        keys.push(key);
      }
    }
    return keys;
  }

  function read(key) {
    try {
      return JSON.parse(sessionStorage.getItem(key));
    } catch (e) {
      return null;
    }
  }

  // Drafts of someone else on this tab, and drafts the server has received, go at once.
  storedKeys().forEach(function (key) {
    var draft = read(key);
    if (!draft || draft.user !== user || done.indexOf(draft.id) !== -1) {
      sessionStorage.removeItem(key);
    }
  });

  // Signing out forgets every draft of this tab.
  document.querySelectorAll("form").forEach(function (form) {
    if (form.getAttribute("action") === script.dataset.draftsLogout) {
      form.addEventListener("submit", function () {
        storedKeys().forEach(function (key) {
          sessionStorage.removeItem(key);
        });
      });
    }
  });

  function kept(field) {
    return (
      field.name &&
      field.name !== "csrfmiddlewaretoken" &&
      field.name !== "_draft" &&
      SKIPPED_TYPES.indexOf(field.type) === -1
    );
  }

  function values(form) {
    var result = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!kept(field)) {
        return;
      }
      var list = result[field.name] || (result[field.name] = []);
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked) {
          list.push(field.value);
        }
      } else if (field.tagName === "SELECT" && field.multiple) {
        Array.prototype.forEach.call(field.selectedOptions, function (option) {
          list.push(option.value);
        });
      } else {
        list.push(field.value);
      }
    });
    return result;
  }

  function fill(form, fields) {
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!kept(field) || !(field.name in fields)) {
        return;
      }
      var wanted = fields[field.name];
      var before = field.type === "checkbox" || field.type === "radio" ? field.checked : field.value;
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = wanted.indexOf(field.value) !== -1;
      } else if (field.tagName === "SELECT" && field.multiple) {
        Array.prototype.forEach.call(field.options, function (option) {
          option.selected = wanted.indexOf(option.value) !== -1;
        });
      } else {
        var index = seen[field.name] || 0;
        seen[field.name] = index + 1;
        field.value = wanted[index] !== undefined ? wanted[index] : "";
      }
      var after = field.type === "checkbox" || field.type === "radio" ? field.checked : field.value;
      if (before !== after) {
        field.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function newId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  function notice(form, original, key) {
    var box = document.createElement("div");
    box.className = "message info draft-restored";
    box.setAttribute("role", "status");
    var text = document.createElement("p");
    text.textContent = script.dataset.draftsRestored;
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "link-button";
    discard.textContent = script.dataset.draftsDiscard;
    discard.addEventListener("click", function () {
      fill(form, original);
      sessionStorage.removeItem(key);
      box.remove();
    });
    box.appendChild(text);
    box.appendChild(discard);
    form.parentNode.insertBefore(box, form);
  }

  var counts = {};
  document.querySelectorAll('form[method="post"], form[method="POST"]').forEach(function (form) {
    var action = form.getAttribute("action") || "";
    if (
      form.hasAttribute("data-no-draft") ||
      action === script.dataset.draftsLogout ||
      form.querySelector('input[type="password"]')
    ) {
      return;
    }
    var nth = (counts[action] = (counts[action] || 0) + 1);
    var key = PREFIX + user + ":" + location.pathname + ":" + action + ":" + nth;
    var original = values(form);
    var draft = read(key);
    if (draft && draft.user === user && !same(draft.fields, original)) {
      fill(form, draft.fields);
      notice(form, original, key);
    } else {
      draft = null;
    }
    var id = draft ? draft.id : newId();
    function save() {
      sessionStorage.setItem(
        key,
        JSON.stringify({ id: id, user: user, saved: Date.now(), fields: values(form) })
      );
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("submit", function () {
      var marker = form.querySelector('input[name="_draft"]');
      if (!marker) {
        marker = document.createElement("input");
        marker.type = "hidden";
        marker.name = "_draft";
        form.appendChild(marker);
      }
      marker.value = id;
      save();
    });
  });
})();
