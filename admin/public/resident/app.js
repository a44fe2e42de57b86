/*
 * 网格化便民服务 — the resident page behind a grid's QR code (<console>/resident/?grid=<code>).
 * Plain JavaScript, no build step: scan → register by phone (or anonymously where allowed) →
 * report with photos → follow own cases → evaluate. Talks to /v1/residents/*, /v1/uploads and
 * /v1/cases with a short-lived resident access token kept in localStorage; the refresh token is an
 * HttpOnly, Secure, SameSite=Strict cookie (X-Wangge-Session: cookie) that no script can read.
 */
(function () {
  "use strict";

  var API = (document.querySelector('meta[name="wangge-api"]') || {}).content || "";
  API = API.replace(/\/+$/, "");
  var SESSION_KEY = "wg.resident.session";
  /** ask the API to keep the refresh token in its HttpOnly cookie (core/resident/cookie.ts) */
  var COOKIE_MODE = { "x-wangge-session": "cookie" };
  var GRID_KEY = "wg.resident.grid";
  var CASES_KEY = "wg.resident.cases";
  var MAX_PHOTOS = 3;
  var MAX_BYTES = 10 * 1024 * 1024;
  var PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp", "image/heic"];

  var STATE = {
    reported: "已上报", accepted: "已受理", claimable: "待部门认领", dispatched: "已派发", in_progress: "处置中",
    handled: "已处置待核查", verified: "待评价", closed: "已办结", rejected: "不予受理",
  };
  var EVENT = {
    reported: "事件已上报", accepted: "指挥中心已受理", claim_opened: "已推送相关部门", claimed: "责任部门已认领",
    claim_expired: "转派单", dispatched: "已派发至责任单位", rejected: "不予受理", merged: "已与重复事件合并",
    resolved: "已现场处置", transferred: "改派中", started: "开始处置", handled: "处置完毕，待核查",
    verified: "网格员已现场核查", verify_failed: "核查未通过，重新处置", evaluated: "已评价", returned: "退回重办",
    mediated: "已开展调解", escalated: "已上报上级处理", supervised: "已纳入督办", supervision_reminder: "督办提醒",
    overdue: "当前环节已超时", extension_requested: "申请延期", extension_approved: "延期已批准", extension_refused: "延期未批准",
    deferred: "暂缓处理", resumed: "恢复处理", closed: "已办结", reopened: "已重新打开", commented: "补充说明",
  };
  var LEVELS = [
    ["very_satisfied", "非常满意"], ["satisfied", "满意"], ["average", "一般"], ["dissatisfied", "不满意"], ["very_dissatisfied", "很不满意"],
  ];

  var $ = function (id) { return document.getElementById(id); };
  var session = load(SESSION_KEY);
  var gridCode = new URLSearchParams(location.search).get("grid") || localStorage.getItem(GRID_KEY) || (session && session.resident && session.resident.grid ? session.resident.grid.code : "") || "";
  var grid = null; // the grid page (GET /v1/residents/grids/{code})
  var location_ = null; // {lng, lat} (WGS84) from the device, or as adjusted on the map
  var device_ = null; // the device's own position (WGS84), to say how far the resident moved it
  var tiles = null; // the site's base map (../tiles.json), or null: no map
  var posMap = null; // {map, marker} once shown
  var tilesReady = null; // loadTiles(), started with the page
  var photos = [];

  function load(k) { try { return JSON.parse(localStorage.getItem(k) || "null"); } catch (e) { return null; } }
  function save(k, v) { if (v === null) localStorage.removeItem(k); else localStorage.setItem(k, JSON.stringify(v)); }
  function show(id, on) { $(id).hidden = !on; }

  function notice(text, isError) {
    var n = $("notice");
    n.textContent = text;
    n.className = "notice" + (isError ? " error" : "");
    n.hidden = !text;
    if (text) window.scrollTo(0, 0);
  }

  function fmtTime(iso) {
    var d = new Date(iso);
    var p = function (x) { return String(x).padStart(2, "0"); };
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + " " + p(d.getHours()) + ":" + p(d.getMinutes());
  }

  /** Why a call failed, for people. */
  function reason(status, body, headers) {
    if (status === 429) {
      var s = Number(headers.get("retry-after")) || 60;
      return "操作太频繁，请 " + (s >= 120 ? Math.ceil(s / 60) + " 分钟" : s + " 秒") + "后再试。";
    }
    var e = body && body.error;
    if (e && e.details && e.details.fields && e.details.fields.length) {
      var f = e.details.fields[0];
      if (f.path === "code") return "验证码错误或已过期，请重新获取。";
      if (f.path === "phone") return "请输入正确的 11 位手机号。";
      if (f.path === "location") return "该位置不在本县网格范围内，请改用网格位置。";
    }
    if (status === 401) return "登录已过期，请重新登记。";
    if (status === 403) return (e && e.message) || "没有权限。";
    if (status === 404) return "未找到。";
    if (status >= 500) return "服务暂时不可用，请稍后再试。";
    return (e && e.message) || "请求失败（" + status + "）";
  }

  function request(method, path, body, token, extraHeaders) {
    var headers = Object.assign({}, extraHeaders || {});
    if (body !== undefined) headers["content-type"] = "application/json";
    if (token) headers.authorization = "Bearer " + token;
    return fetch(API + path, { method: method, headers: headers, credentials: "include", body: body === undefined ? undefined : JSON.stringify(body) }).then(function (r) {
      return r.text().then(function (t) {
        var json = null;
        try { json = t ? JSON.parse(t) : null; } catch (e) { /* not JSON */ }
        return { status: r.status, body: json, headers: r.headers };
      });
    });
  }

  /** An authenticated call; renews the session once on 401. */
  function api(method, path, body, headers) {
    if (!session) return Promise.reject(new Error("请先登记。"));
    return request(method, path, body, session.accessToken, headers).then(function (r) {
      if (r.status !== 401) return r;
      // the refresh token is the HttpOnly cookie; a session stored by an older page still carries one in the body (moved into the cookie now)
      return request("POST", "/v1/residents/refresh", session.refreshToken ? { refreshToken: session.refreshToken } : undefined, null, COOKIE_MODE).then(function (rr) {
        if (rr.status !== 200) { signOut(); throw new Error("登录已过期，请重新登记。"); }
        setSession(rr.body);
        return request(method, path, body, session.accessToken, headers);
      });
    });
  }

  function ok(r, want) {
    if ((want || [200, 201]).indexOf(r.status) < 0) throw new Error(reason(r.status, r.body, r.headers));
    return r.body;
  }

  function setSession(s) {
    session = s;
    save(SESSION_KEY, s);
    renderWho();
  }

  function signOut() {
    // revoke the refresh token and clear the HttpOnly cookie (POST /v1/residents/logout); the
    // page forgets its session at once, whatever the answer (offline: the cookie expires later)
    var old = session;
    request("POST", "/v1/residents/logout", old && old.refreshToken ? { refreshToken: old.refreshToken } : undefined, null, COOKIE_MODE).catch(function () { /* best effort */ });
    session = null;
    save(SESSION_KEY, null);
    renderWho();
    route();
  }

  function renderWho() {
    var r = session && session.resident;
    $("who").textContent = r ? (r.anonymous ? "匿名" : r.phoneMasked) + (r.grid && r.grid.name ? " · " + r.grid.name : "") : "";
    show("b-logout", !!r);
  }

  // ------------------------------------------------------------ grid

  function loadGrid() {
    if (!gridCode) return Promise.resolve(null);
    return request("GET", "/v1/residents/grids/" + encodeURIComponent(gridCode)).then(function (r) {
      if (r.status !== 200) throw new Error(r.status === 404 ? "二维码无效：未找到网格 " + gridCode + "。" : reason(r.status, r.body, r.headers));
      grid = r.body;
      localStorage.setItem(GRID_KEY, gridCode);
      $("grid-name").textContent = grid.grid.name + " · 便民服务";
      $("grid-path").textContent = grid.path.join(" › ");
      document.title = grid.grid.name + " · 网格化便民服务";
      fillCategories();
      return grid;
    });
  }

  function fillCategories() {
    var sel = $("category");
    sel.textContent = "";
    var first = document.createElement("option");
    first.value = "";
    first.textContent = "请选择";
    sel.appendChild(first);
    var tops = grid.categories.filter(function (c) { return !c.parentId; });
    tops.forEach(function (t) {
      var kids = grid.categories.filter(function (c) { return c.parentId === t.id; });
      if (!kids.length) {
        var o = document.createElement("option");
        o.value = t.id;
        o.textContent = t.name;
        sel.appendChild(o);
        return;
      }
      var g = document.createElement("optgroup");
      g.label = t.name;
      kids.forEach(function (k) {
        var o = document.createElement("option");
        o.value = k.id;
        o.textContent = k.name;
        g.appendChild(o);
      });
      sel.appendChild(g);
    });
  }

  // ------------------------------------------------------------ registration

  var phone = "";

  function sendCode(e) {
    if (e) e.preventDefault();
    phone = $("phone").value.replace(/[\s-]/g, "");
    var btn = $("b-send");
    btn.disabled = true;
    request("POST", "/v1/residents/code", { phone: phone }).then(function (r) {
      var body = ok(r);
      $("code-sent").textContent = "验证码已发送至 " + body.phoneMasked + "，5 分钟内有效。" + (body.devCode ? "（开发环境：" + body.devCode + "）" : "");
      if (body.devCode) $("code").value = body.devCode;
      show("f-code", true);
      $("code").focus();
      notice("");
      cooldown(btn, body.resendAfterSeconds || 60);
    }).catch(function (err) { btn.disabled = false; notice(err.message, true); });
  }

  function cooldown(btn, seconds) {
    var left = seconds;
    var tick = function () {
      if (left <= 0) { btn.disabled = false; btn.textContent = "获取验证码"; return; }
      btn.textContent = left + " 秒后可重新获取";
      left--;
      setTimeout(tick, 1000);
    };
    tick();
  }

  function verify(e) {
    e.preventDefault();
    request("POST", "/v1/residents/verify", { phone: phone, code: $("code").value.trim(), gridCode: gridCode }, null, COOKIE_MODE).then(function (r) {
      setSession(ok(r, [200]));
      notice("登记成功，欢迎使用网格化便民服务。");
      route();
    }).catch(function (err) { notice(err.message, true); });
  }

  function anonymous() {
    request("POST", "/v1/residents/anonymous", { gridCode: gridCode }, null, COOKIE_MODE).then(function (r) {
      setSession(ok(r, [200]));
      route();
    }).catch(function (err) { notice(err.message, true); });
  }

  // ------------------------------------------------------------ report

  function pickPhotos() {
    var files = Array.prototype.slice.call($("photos").files || []);
    photos = [];
    var box = $("previews");
    box.textContent = "";
    for (var i = 0; i < files.length && photos.length < MAX_PHOTOS; i++) {
      var f = files[i];
      if (PHOTO_TYPES.indexOf(f.type) < 0) { notice("只能上传 JPG、PNG、WebP 或 HEIC 照片。", true); continue; }
      photos.push(f);
      if (f.type !== "image/heic") {
        var img = document.createElement("img");
        img.alt = "照片预览";
        img.src = URL.createObjectURL(f);
        box.appendChild(img);
      }
    }
    if (files.length > MAX_PHOTOS) notice("最多上传 " + MAX_PHOTOS + " 张照片。", true);
  }

  /** Large photos are scaled down (longest side 1600 px, JPEG) before upload; small ones go as they are. */
  function shrink(file) {
    if (file.size < 1.5 * 1024 * 1024 || file.type === "image/heic" || !window.createImageBitmap) return Promise.resolve(file);
    return createImageBitmap(file).then(function (bmp) {
      var scale = Math.min(1, 1600 / Math.max(bmp.width, bmp.height));
      var c = document.createElement("canvas");
      c.width = Math.round(bmp.width * scale);
      c.height = Math.round(bmp.height * scale);
      c.getContext("2d").drawImage(bmp, 0, 0, c.width, c.height);
      return new Promise(function (res) { c.toBlob(function (b) { res(b && b.size < file.size ? b : file); }, "image/jpeg", 0.85); });
    }).catch(function () { return file; });
  }

  function upload(file) {
    return shrink(file).then(function (blob) {
      if (blob.size > MAX_BYTES) throw new Error("照片不能超过 10 MB。");
      var type = blob.type || file.type;
      return api("POST", "/v1/uploads", { contentType: type, size: blob.size, tag: "before" }).then(function (r) {
        var up = ok(r);
        return fetch(up.uploadUrl, { method: "PUT", headers: up.headers, body: blob }).then(function (put) {
          if (!put.ok) throw new Error("照片上传失败，请重试。");
          return { key: up.key, kind: "photo" };
        });
      });
    });
  }

  function locate() {
    if (!navigator.geolocation) { notice("此设备无法定位，将使用网格位置。", true); showMap(gridCentre(), false); return; }
    $("loc-text").textContent = "正在定位…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      location_ = { lng: pos.coords.longitude, lat: pos.coords.latitude };
      device_ = location_;
      $("loc-text").textContent = "位置：当前位置（±" + Math.round(pos.coords.accuracy) + " 米）";
      showMap(location_, true);
    }, function () {
      location_ = null;
      device_ = null;
      $("loc-text").textContent = "位置：本网格（未能获取当前位置）";
      showMap(gridCentre(), false);
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  // ------------------------------------------------------------ position map

  /*
   * A small map to move the point where the problem is (tap the map or drag the pin). Only when the
   * site has base-map tiles (../tiles.json, written by the console's build from VITE_TILE_*); Leaflet
   * and our WGS84 ⇄ GCJ-02 script (crs.js, core/geo/crs-math.ts) are the site's own copies (./vendor/, same origin: the strict CSP allows them). On
   * GCJ-02 tiles (AMap, Tencent) the point is drawn shifted as those tiles show it and a tap is
   * shifted back: the report always carries WGS84 (docs/deploy.md "Map tiles").
   */
  function loadTiles() {
    return fetch(new URL("../tiles.json", location.href).href, { cache: "no-cache" }).then(function (r) {
      if (!r.ok || (r.headers.get("content-type") || "").indexOf("json") < 0) return null;
      return r.json();
    }).then(function (t) {
      tiles = t && typeof t.url === "string" && /^https?:\/\//.test(t.url) ? t : null;
    }).catch(function () { tiles = null; });
  }

  function script(src) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      el.src = src;
      el.onload = resolve;
      el.onerror = function () { reject(new Error("map script " + src)); };
      document.head.appendChild(el);
    });
  }

  var mapLib = null;
  function loadMapLib() {
    if (!mapLib) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = "vendor/leaflet.css";
      document.head.appendChild(css);
      mapLib = Promise.all([script("vendor/leaflet.js"), tiles.crs === "gcj02" ? script("vendor/crs.js") : null]);
    }
    return mapLib;
  }

  function gridCentre() {
    var c = grid && grid.grid.centroid;
    return c ? { lng: c[0], lat: c[1] } : null;
  }

  /** WGS84 → where the tiles show it, and back. */
  function shown(p) {
    if (tiles.crs !== "gcj02") return [p.lat, p.lng];
    var q = window.wanggeCrs.convert(p.lng, p.lat, "wgs84", "gcj02");
    return [q[1], q[0]];
  }
  function stored(latlng) {
    if (tiles.crs !== "gcj02") return { lng: latlng.lng, lat: latlng.lat };
    var q = window.wanggeCrs.convert(latlng.lng, latlng.lat, "gcj02", "wgs84");
    return { lng: q[0], lat: q[1] };
  }

  function metres(a, b) {
    var r = Math.PI / 180;
    var x = (b.lng - a.lng) * r * Math.cos(((a.lat + b.lat) / 2) * r);
    var y = (b.lat - a.lat) * r;
    return Math.round(Math.sqrt(x * x + y * y) * 6371000);
  }

  /** The resident moved the point (tap or drag): that is where the report goes. */
  function adjusted(latlng) {
    location_ = stored(latlng);
    var round = function (v) { return Math.round(v * 1e7) / 1e7; };
    location_ = { lng: round(location_.lng), lat: round(location_.lat) };
    posMap.marker.setLatLng(shown(location_));
    $("loc-text").textContent = device_ ? "位置：已在地图上调整（距定位约 " + metres(device_, location_) + " 米）" : "位置：地图上选定的位置";
    $("loc-map").dataset.lng = String(location_.lng);
    $("loc-map").dataset.lat = String(location_.lat);
  }

  function showMap(centre, placed) {
    tilesReady.then(function () {
      if (!tiles || !centre) return null;
      return loadMapLib().then(function () { drawMap(centre, placed); });
    }).catch(function () { show("loc-map", false); show("loc-hint", false); });
  }

  function drawMap(centre, placed) {
    var L = window.L;
    show("loc-map", true);
    show("loc-hint", true);
    if (!posMap) {
      var map = L.map("loc-map", { zoomControl: true, attributionControl: !!tiles.attribution, zoomAnimation: false, fadeAnimation: false });
      if (map.attributionControl) map.attributionControl.setPrefix(false);
      L.tileLayer(tiles.url, { subdomains: tiles.subdomains || "abc", maxZoom: tiles.maxZoom || 18, attribution: tiles.attribution || "" }).addTo(map);
      // a 44 px pin: easy to catch with a finger
      var icon = L.divIcon({ className: "loc-pin", iconSize: [44, 44], iconAnchor: [22, 22] });
      var marker = L.marker(shown(centre), { icon: icon, draggable: true, keyboard: false, title: "问题位置" }).addTo(map);
      posMap = { map: map, marker: marker };
      map.on("click", function (e) { adjusted(e.latlng); });
      marker.on("dragend", function () { adjusted(marker.getLatLng()); });
    }
    posMap.map.invalidateSize();
    posMap.map.setView(shown(centre), 17, { animate: false });
    posMap.marker.setLatLng(shown(centre));
    $("loc-map").dataset.placed = placed ? "device" : "grid";
  }

  function submitReport(e) {
    e.preventDefault();
    var btn = $("b-submit");
    var categoryId = $("category").value;
    var description = $("description").value.trim();
    if (!categoryId || !description) { notice("请选择问题类别并填写描述。", true); return; }
    var body = { categoryId: categoryId, description: description };
    if (location_) body.location = location_;
    else if (grid && grid.grid.centroid) { body.location = { lng: grid.grid.centroid[0], lat: grid.grid.centroid[1] }; body.unitId = grid.grid.id; }
    else { notice("请点击“使用当前位置”。", true); return; }
    btn.disabled = true;
    btn.textContent = "正在提交…";
    var idem = "res-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
    Promise.all(photos.map(upload)).then(function (attachments) {
      body.attachments = attachments;
      return api("POST", "/v1/cases", body, { "idempotency-key": idem });
    }).then(function (r) {
      var view = ok(r);
      remember(view.case.id);
      $("f-report").reset();
      $("previews").textContent = "";
      photos = [];
      notice("上报成功，案件编号 " + view.case.number + "。可在“我的上报”中查看进度。");
      tab("cases");
    }).catch(function (err) { notice(err.message, true); }).then(function () {
      btn.disabled = false;
      btn.textContent = "提交上报";
    });
  }

  // ------------------------------------------------------------ my cases

  function remember(id) {
    var ids = load(CASES_KEY) || [];
    if (ids.indexOf(id) < 0) ids.unshift(id);
    save(CASES_KEY, ids.slice(0, 50));
  }

  function month(offset) {
    var d = new Date();
    d.setMonth(d.getMonth() + offset, 1);
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0");
  }

  /** Residents only ever see their own cases: open ones, those closed this month and last, and the ones this device reported. */
  function loadCases() {
    var lists = ["/v1/cases?limit=50", "/v1/cases?limit=50&closedMonth=" + month(0), "/v1/cases?limit=50&closedMonth=" + month(-1)];
    return Promise.all(lists.map(function (p) { return api("GET", p).then(function (r) { return r.status === 200 ? r.body.items : []; }); })).then(function (pages) {
      var byId = {};
      pages.forEach(function (items) { items.forEach(function (v) { byId[v.case.id] = v; }); });
      var missing = (load(CASES_KEY) || []).filter(function (id) { return !byId[id]; }).slice(0, 10);
      return Promise.all(missing.map(function (id) { return api("GET", "/v1/cases/" + encodeURIComponent(id)).then(function (r) { if (r.status === 200) byId[id] = r.body; }); })).then(function () {
        return Object.keys(byId).map(function (k) { return byId[k]; }).sort(function (a, b) { return a.case.createdAt < b.case.createdAt ? 1 : -1; });
      });
    });
  }

  function categoryName(id) {
    var c = grid && grid.categories.filter(function (x) { return x.id === id; })[0];
    return c ? c.name : "";
  }

  function renderCases() {
    var list = $("case-list");
    list.textContent = "";
    loadCases().then(function (views) {
      show("cases-empty", !views.length);
      views.forEach(function (v) {
        var c = v.case;
        var li = document.createElement("li");
        var row = document.createElement("div");
        row.className = "row";
        var title = document.createElement("span");
        title.textContent = (categoryName(c.categoryId) || "问题") + "：" + c.description.slice(0, 24);
        var badge = document.createElement("span");
        var todo = v.allowedActions.indexOf("evaluate") >= 0;
        badge.className = "badge " + (todo ? "todo" : c.state);
        badge.textContent = todo ? "待评价" : STATE[c.state] || c.state;
        row.appendChild(title);
        row.appendChild(badge);
        var num = document.createElement("div");
        num.className = "num";
        num.textContent = c.number + " · " + fmtTime(c.createdAt);
        li.appendChild(row);
        li.appendChild(num);
        li.addEventListener("click", function () { openCase(c.id); });
        list.appendChild(li);
      });
    }).catch(function (err) { notice(err.message, true); });
  }

  function openCase(id) {
    api("GET", "/v1/cases/" + encodeURIComponent(id)).then(function (r) {
      var v = ok(r, [200]);
      var c = v.case;
      show("v-cases", false);
      show("tabs", false);
      show("v-case", true);
      $("c-title").textContent = (categoryName(c.categoryId) || "问题") + " · " + c.number;
      $("c-state").textContent = "当前状态：" + (STATE[c.state] || c.state) + (c.evaluation ? "（已评价：" + (LEVELS.filter(function (l) { return l[0] === c.evaluation.level; })[0] || ["", ""])[1] + "）" : "");
      $("c-desc").textContent = c.description;
      var tl = $("c-timeline");
      tl.textContent = "";
      (v.timeline || []).forEach(function (ev) {
        var li = document.createElement("li");
        var t = document.createElement("time");
        t.textContent = fmtTime(ev.at);
        li.appendChild(t);
        li.appendChild(document.createTextNode(EVENT[ev.type] || ev.type));
        tl.appendChild(li);
      });
      var canEvaluate = v.allowedActions.indexOf("evaluate") >= 0;
      show("c-evaluate", canEvaluate);
      if (canEvaluate) {
        var box = $("levels");
        box.textContent = "";
        LEVELS.forEach(function (l) {
          var b = document.createElement("button");
          b.type = "button";
          b.textContent = l[1];
          b.className = l[0].indexOf("dissatisfied") >= 0 ? "secondary" : "";
          b.addEventListener("click", function () { evaluate(c.id, l[0]); });
          box.appendChild(b);
        });
      }
    }).catch(function (err) { notice(err.message, true); });
  }

  function evaluate(id, level) {
    var comment = $("eval-comment").value.trim();
    var body = comment ? { level: level, comment: comment } : { level: level };
    api("POST", "/v1/cases/" + encodeURIComponent(id) + "/evaluate", body).then(function (r) {
      ok(r, [200]);
      $("eval-comment").value = "";
      notice(level.indexOf("dissatisfied") >= 0 ? "感谢反馈，案件已退回责任单位重新处理。" : "感谢您的评价！");
      openCase(id);
    }).catch(function (err) { notice(err.message, true); });
  }

  // ------------------------------------------------------------ views

  function tab(name) {
    document.querySelectorAll("#tabs button").forEach(function (b) { b.classList.toggle("active", b.dataset.tab === name); });
    show("v-case", false);
    show("tabs", true);
    show("v-report", name === "report");
    show("v-cases", name === "cases");
    if (name === "cases") renderCases();
  }

  function route() {
    ["v-register", "v-report", "v-cases", "v-case", "v-nogrid", "tabs"].forEach(function (id) { show(id, false); });
    if (!session) {
      if (!grid) { show("v-nogrid", true); return; }
      show("v-register", true);
      show("f-code", false);
      show("anon", !!grid.anonymousReports);
      return;
    }
    tab("report");
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("f-phone").addEventListener("submit", sendCode);
    $("f-code").addEventListener("submit", verify);
    $("b-resend").addEventListener("click", function () { sendCode(); });
    $("b-anon").addEventListener("click", anonymous);
    $("f-report").addEventListener("submit", submitReport);
    $("photos").addEventListener("change", pickPhotos);
    $("b-locate").addEventListener("click", locate);
    tilesReady = loadTiles();
    $("b-back").addEventListener("click", function () { tab("cases"); });
    $("b-logout").addEventListener("click", signOut);
    document.querySelectorAll("#tabs button").forEach(function (b) { b.addEventListener("click", function () { tab(b.dataset.tab); }); });
    renderWho();
    loadGrid().then(route).catch(function (err) { notice(err.message, true); route(); });
  });
})();
