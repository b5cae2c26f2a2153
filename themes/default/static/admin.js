// The admin interface's one script; every page works without it.
// The editor's live preview: while an editor types Markdown or HTML, the
// server renders it exactly as a save would (cmark-gfm and the sanitizer)
// and the result is shown under the text box.
(function () {
  "use strict";
  var body = document.getElementById("f-body");
  var format = document.getElementById("f-body-format");
  var preview = document.getElementById("live-preview");
  if (!body || !preview || !window.fetch) return;
  var form = body.form;
  var csrf = form && form.querySelector('input[name="csrf"]');
  if (!csrf) return;
  var target = preview.querySelector(".body");
  var timer = 0;
  var sent = 0;

  function render() {
    var mine = ++sent;
    var data = new URLSearchParams();
    data.set("csrf", csrf.value);
    data.set("body", body.value);
    data.set("body_format", format ? format.value : "markdown");
    fetch("/admin/preview", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: data.toString()
    }).then(function (res) {
      if (!res.ok) throw new Error(res.status);
      return res.text();
    }).then(function (html) {
      if (mine !== sent) return;  // a newer request is on its way
      // Sanitized by the server with the allow-list every saved body passes.
      target.innerHTML = html;
      preview.hidden = body.value.trim() === "";
    }).catch(function () {
      // No preview now; the saved-body preview still works.
    });
  }

  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(render, 300);
  }
  body.addEventListener("input", soon);
  if (format) format.addEventListener("change", soon);
})();
