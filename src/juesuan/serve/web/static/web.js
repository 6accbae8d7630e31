// juesuan pages: progressive enhancement only (every page works without this file).
"use strict";

function setupDrop(zone) {
  const input = zone.querySelector('input[type=file]');
  if (!input) return;
  ["dragenter", "dragover"].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    zone.addEventListener(t, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files.length) input.files = e.dataTransfer.files;
  });
}

function setupUpload(form) {
  const bar = form.querySelector("[data-progress]");
  const label = form.querySelector("[data-progress-text]");
  form.addEventListener("submit", function (e) {
    if (!window.XMLHttpRequest || !window.FormData) return;
    e.preventDefault();
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    bar.hidden = false;
    label.textContent = "正在上传…";
    xhr.upload.addEventListener("progress", function (ev) {
      if (ev.lengthComputable) {
        bar.value = Math.round((ev.loaded / ev.total) * 100);
        if (ev.loaded === ev.total) label.textContent = "已上传，正在校验和生成…";
      }
    });
    xhr.addEventListener("load", function () {
      if (xhr.responseURL && xhr.responseURL !== form.action && xhr.status < 400) {
        window.location.assign(xhr.responseURL);
      } else {
        const doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
        document.body.replaceWith(doc.body);
      }
    });
    xhr.addEventListener("error", function () { label.textContent = "上传失败，请检查网络后重试"; });
    xhr.send(new FormData(form));
  });
}

function describe(panel, id, figures) {
  const f = figures[id];
  panel.textContent = "";
  const h = document.createElement("h2");
  h.textContent = "数字说明";
  panel.appendChild(h);
  if (!f) {
    const p = document.createElement("p");
    p.textContent = "没有这个数字的说明：" + id;
    panel.appendChild(p);
    return;
  }
  const dl = document.createElement("dl");
  function row(term, value, cls) {
    const dt = document.createElement("dt"); dt.textContent = term; dl.appendChild(dt);
    const dd = document.createElement("dd"); if (cls) dd.className = cls;
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = value;
    dl.appendChild(dd);
  }
  row("编号", id, "code");
  row("数值", (f.value === null ? "（空）" : f.value) + " " + (f.unit || ""), "value");
  row("计算方式", f.formula || "");
  if (f.inputs && f.inputs.length) {
    const ul = document.createElement("ul");
    f.inputs.forEach(function (inp) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = "#"; a.textContent = inp;
      a.addEventListener("click", function (e) { e.preventDefault(); describe(panel, inp, figures); });
      li.appendChild(a);
      const v = figures[inp];
      if (v) li.appendChild(document.createTextNode("：" + (v.value === null ? "（空）" : v.value)));
      ul.appendChild(li);
    });
    row("组成数字", ul);
  }
  row("数据来源", f.source || "由上列数字计算");
  panel.appendChild(dl);
}

function setupPreview(frame) {
  const panel = document.querySelector("[data-figure-panel]");
  let figures = null;
  fetch(frame.dataset.figures, { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : {}; })
    .then(function (data) { figures = data; attach(); });
  function attach() {
    const doc = frame.contentDocument;
    if (!doc || !figures || doc.readyState === "loading") return;
    if (doc.location.href === "about:blank") return;  // the frame's initial empty document
    if (doc.body && doc.body.dataset.juesuanReady) return;
    const style = doc.createElement("link");
    style.rel = "stylesheet"; style.href = "/static/preview-frame.css";
    doc.head.appendChild(style);
    doc.querySelectorAll(".fig[data-fig]").forEach(function (el) {
      el.tabIndex = 0;
      const id = el.getAttribute("data-fig");
      el.addEventListener("mouseenter", function () { describe(panel, id, figures); });
      el.addEventListener("focus", function () { describe(panel, id, figures); });
      el.addEventListener("click", function () { describe(panel, id, figures); });
    });
    if (doc.body) doc.body.dataset.juesuanReady = "1";
    frame.dataset.ready = "1";  // figures explained (tests wait for this)
  }
  frame.addEventListener("load", attach);
  attach();
}

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-drop]").forEach(setupDrop);
  document.querySelectorAll("form[data-upload]").forEach(setupUpload);
  document.querySelectorAll("iframe[data-preview]").forEach(setupPreview);
  document.querySelectorAll("[data-check-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll("input[data-bulk]").forEach(function (b) { b.checked = box.checked; });
    });
  });
});
