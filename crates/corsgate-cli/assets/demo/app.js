// corsgate demo page: sends the tutorial's requests to the API, asks this page's own server
// why the browser blocked one (/api/check: corsgate check, run against the API), and edits
// the API's policy through the same server (/api/policy). No framework, no build step.
"use strict";

const API = document.querySelector('meta[name="corsgate-api"]').content;
const PAGE = window.location.origin;

const BLOCKED = "Blocked by the browser's CORS policy.";
// Shown on a result that was sent under another policy than the one in force.
const STALE = "Sent under an earlier policy: send it again to see what the policy in force does.";
// What allow_methods always includes (browsers never preflight them).
const ALWAYS_ALLOWED = "GET, HEAD and POST are always allowed: browsers never preflight them";
// After a refused Apply, the form shows the policy in force again.
const RESYNCED = "The policy in force did not change; the form shows it again.";
const MAX_AGE_ERROR =
  "max_age must be a whole number of seconds, or empty to send no Access-Control-Max-Age.";
// The engine this page is open in: its console lines go first in a blocked request's box.
// Firefox says "Firefox/" in its user agent; WebKit browsers (Safari, WebKitGTK's, and every
// iOS browser: "CriOS/", "FxiOS/") say "AppleWebKit/" without "Chrome/" or "Chromium/"
// (which Chromium-based browsers add: Edge, Opera, and headless Chromium as
// "HeadlessChrome/"); anything else is taken for Chrome.
const ENGINE = (() => {
  const ua = navigator.userAgent;
  if (/\bFirefox\//.test(ua)) return "firefox";
  if (/\bAppleWebKit\//.test(ua) && !/Chrom(e|ium)\//.test(ua)) {
    return "webkit";
  }
  return "chrome";
})();
// The three engines' consoles as the box names them, in the order the others follow the own.
const CONSOLES = [
  ["chrome", "Chrome's console"],
  ["firefox", "Firefox's console"],
  ["webkit", "WebKit's console"],
];
// When the page server cannot say why (it did not answer, or the check could not be made).
const NO_REASON = "Open the console (F12) to see the browser's reason.";

// The three requests of the page, keyed by the buttons' data-request.
const REQUESTS = {
  get: { method: "GET", headers: {} },
  put: { method: "PUT", headers: {} },
  header: { method: "GET", headers: { "X-Demo": "hello" } },
};

// The policy as the page server last reported it: {cors_enabled, config, api_origin, page_origin}.
let policy = null;
// For each request kind, the policy (policyKey) it was last sent under.
const sentUnder = new Map();

const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function code(text) {
  return el("code", "", text);
}

// ---- requests ---------------------------------------------------------------------------

function setOutcome(box, state, nodes) {
  box.dataset.state = state;
  box.replaceChildren(...nodes);
  if (state !== "pending") {
    box.dataset.count = String(Number(box.dataset.count || "0") + 1);
  }
}

// The policy as a string that changes when, and only when, the policy does.
function policyKey(p) {
  return p ? JSON.stringify([p.cors_enabled, p.config]) : "";
}

// Marks each result sent under another policy than the one in force as stale (and unmarks
// the others).
function markStale() {
  const key = policyKey(policy);
  for (const kind of Object.keys(REQUESTS)) {
    const box = $("outcome-" + kind);
    if (!sentUnder.has(kind) || box.dataset.state === "idle" || box.dataset.state === "pending") {
      continue;
    }
    const stale = sentUnder.get(kind) !== key;
    box.dataset.stale = String(stale);
    const note = box.querySelector(".stale");
    if (stale && !note) box.prepend(el("p", "stale", STALE));
    if (!stale && note) note.remove();
  }
}

async function send(kind) {
  const request = REQUESTS[kind];
  const box = $("outcome-" + kind);
  sentUnder.set(kind, policyKey(policy));
  const init = { method: request.method, headers: request.headers };
  if ($("credentials").checked) init.credentials = "include";
  setOutcome(box, "pending", [el("p", "verdict", "Sending…")]);

  let response;
  let text;
  try {
    response = await fetch(API + "/data", init);
    text = await response.text();
  } catch (err) {
    // fetch() rejects with a bare TypeError: the browser does not tell the page why.
    // The API runs in the same process as this page's server, so it is up: CORS blocked it.
    // Ask this page's server, which replays the same request with corsgate check.
    setOutcome(box, "pending", [
      el("p", "verdict", BLOCKED),
      el("p", "meta", "Asking corsgate check why…"),
    ]);
    const nodes = [el("p", "verdict", BLOCKED)];
    nodes.push(...(await reason(kind, init.credentials === "include")));
    const hint = originHint();
    if (hint) nodes.push(hint);
    setOutcome(box, "blocked", nodes);
    markStale();
    return;
  }

  const status = `${response.status} ${response.statusText}`.trim();
  const nodes = [el("p", "verdict", status)];
  nodes.push(el("pre", "body", prettyJson(text)));
  const count = response.headers.get("X-Demo-Count");
  nodes.push(
    el(
      "p",
      "meta",
      count === null
        ? "Response header X-Demo-Count is hidden from this page (not in expose_headers)."
        : `Response header X-Demo-Count: ${count} (exposed by expose_headers).`,
    ),
  );
  setOutcome(box, response.ok ? "ok" : "http-error", nodes);
  markStale();
}

// Why the browser blocked the page's request `kind`, from this page's server: it runs
// corsgate check on the same request (never a URL from the page) against the live API.
async function reason(kind, credentials) {
  let body;
  try {
    const response = await fetch("/api/check", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ request: kind, credentials }),
      cache: "no-store",
    });
    body = await response.json();
    if (!response.ok) throw new Error(body && body.error ? body.error : `HTTP ${response.status}`);
  } catch (err) {
    return [el("p", "meta", `${NO_REASON} (corsgate check could not say: ${err.message})`)];
  }
  if (body.verdict !== "blocked") {
    // The policy changed between the browser's request and the check.
    return [
      el("p", "meta", `corsgate check finds this request allowed now: the policy changed since. ${NO_REASON}`),
    ];
  }
  const why = el("div", "why");
  // Each engine's console lines (Chrome's always; Firefox's and WebKit's when known).
  const text = {
    chrome: body.message || "(no CORS line)",
    firefox: body.firefox && body.firefox.message,
    webkit: body.webkit && body.webkit.message,
  };
  const consoles = CONSOLES.filter(([engine]) => text[engine]).map(([engine, label]) => [
    engine,
    [el("p", "label", label), el("pre", `console ${engine}`, text[engine])],
  ]);
  // This browser's own lines first (and marked as its own), the other engines' last.
  const own = consoles.find(([engine]) => engine === ENGINE) || consoles[0];
  const others = consoles.filter((c) => c !== own).flatMap(([, nodes]) => nodes);
  own[1][1].classList.add("own");
  why.append(...own[1]);
  if (body.explanation) {
    why.append(el("p", "label", "Why"), el("p", "explanation", body.explanation));
  }
  if (body.fix) {
    why.append(el("p", "label", "Fix"), el("p", "fix-summary", body.fix.summary));
    if (body.fix.corsgate) {
      const policyNote = el("p", "fix-note");
      policyNote.append(
        policy && !policy.cors_enabled
          ? "CORS is off: tick CORS on, with this corsgate policy (the API policy panel's fields):"
          : "As a corsgate policy (the API policy panel's fields):",
      );
      why.append(policyNote, el("pre", "fix", body.fix.corsgate.trimEnd()));
    }
  }
  why.append(...others);
  return [why];
}

function prettyJson(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch (_) {
    return text;
  }
}

// ---- origins ----------------------------------------------------------------------------

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);
const DEFAULT_PORT = { http: "80", https: "443" };

// "scheme://host[:port]" with port "*" allowed (corsgate's any-port pattern).
function parseOrigin(text) {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(\[[0-9a-f:.]+\]|[^\/:?#\[\]]+)(?::(\d+|\*))?$/i.exec(text);
  if (!m) return null;
  const scheme = m[1].toLowerCase();
  return { scheme, host: m[2].toLowerCase(), port: m[3] || DEFAULT_PORT[scheme] || "" };
}

// From the policy the page knows: why this page's origin is not allowed, when an allowed
// origin is a near miss (localhost vs 127.0.0.1, another port, another scheme).
function originHint() {
  if (!policy || !policy.cors_enabled) return null;
  const allowed = policy.config.allow_origins || [];
  if (allowed.includes("*") || allowed.includes(PAGE)) return null;
  const me = parseOrigin(PAGE);
  if (!me) return null;
  let best = null;
  for (const origin of allowed) {
    const o = parseOrigin(origin);
    if (!o || o.host.startsWith("*.")) continue;
    const samePort = o.port === me.port || o.port === "*";
    const sameScheme = o.scheme === me.scheme;
    const sameHost = o.host === me.host;
    if (sameScheme && samePort && !sameHost && LOOPBACK.has(o.host) && LOOPBACK.has(me.host)) {
      best = { origin, why: "" };
      break;
    }
    if (!best && sameScheme && sameHost && !samePort) best = { origin, why: " (the port differs)" };
    if (!best && !sameScheme && sameHost && samePort) best = { origin, why: " (the scheme differs)" };
  }
  const p = el("p", "hint");
  if (best) {
    p.append(
      code(best.origin),
      " and ",
      code(PAGE),
      ` are different origins${best.why}: the policy allows the first, this page is the second.`,
    );
  } else {
    p.append("This page's origin ", code(PAGE), " is not in allow_origins.");
  }
  return p;
}

// ---- policy panel -----------------------------------------------------------------------

function list(text) {
  return text.split(/[\s,]+/).filter((s) => s.length > 0);
}

function fillForm(p) {
  $("policy-enabled").checked = p.cors_enabled;
  $("policy-origins").value = p.config.allow_origins.join("\n");
  $("policy-methods").value = p.config.allow_methods.join(", ");
  $("policy-headers").value = p.config.allow_headers.join(", ");
  $("policy-expose").value = p.config.expose_headers.join(", ");
  $("policy-max-age").value = hasMaxAge(p.config) ? String(p.config.max_age) : "";
  $("policy-credentials").checked = p.config.allow_credentials;
}

function hasMaxAge(config) {
  return config.max_age !== undefined && config.max_age !== null;
}

// The max_age field: null when empty (not sent), the number of seconds, or undefined when
// it is not a whole number.
function maxAgeField() {
  const text = $("policy-max-age").value.trim();
  if (text === "") return null;
  const seconds = Number(text);
  return /^-?\d+$/.test(text) && Number.isSafeInteger(seconds) ? seconds : undefined;
}

function renderCurrent(p) {
  const c = p.config;
  const none = (items) => (items.length ? items.join(", ") : "(none)");
  const rows = [
    ["CORS", p.cors_enabled ? "on" : "off: no CORS layer, no Access-Control-* headers"],
    ["allow_origins", none(c.allow_origins)],
    [
      "allow_methods",
      c.allow_methods.length ? c.allow_methods.join(", ") : `(none: ${ALWAYS_ALLOWED})`,
    ],
    ["allow_headers", none(c.allow_headers)],
    ["expose_headers", none(c.expose_headers)],
    ["allow_credentials", String(c.allow_credentials)],
    ["max_age", hasMaxAge(c) ? String(c.max_age) : "(not sent)"],
    ["debug", String(c.debug)],
  ];
  const dl = $("policy-current");
  dl.replaceChildren();
  for (const [name, value] of rows) {
    dl.append(el("dt", "", name), el("dd", "", value));
  }
  const note = $("policy-origin-note");
  const hint = originHint();
  if (hint) {
    note.replaceChildren(...hint.childNodes);
    note.hidden = false;
  } else {
    note.hidden = true;
  }
}

function showPolicy(p) {
  policy = p;
  fillForm(p);
  renderCurrent(p);
  markStale();
}

function setStatus(state, nodes) {
  const status = $("policy-status");
  status.dataset.state = state;
  status.replaceChildren(...nodes);
  if (state !== "pending") status.dataset.count = String(Number(status.dataset.count || "0") + 1);
}

// The policy in force, from the page server (throws when it cannot be read).
async function fetchPolicy() {
  const response = await fetch("/api/policy", { cache: "no-store" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

async function loadPolicy() {
  try {
    showPolicy(await fetchPolicy());
  } catch (err) {
    setStatus("error", [el("p", "error", `Could not read the API's policy: ${err.message}`)]);
  }
}

async function applyPolicy(event) {
  event.preventDefault();
  if (!policy) return;
  const maxAge = maxAgeField();
  if (maxAge === undefined) {
    setStatus("error", [el("pre", "error", MAX_AGE_ERROR)]);
    return;
  }
  const config = Object.assign({}, policy.config, {
    allow_origins: list($("policy-origins").value),
    allow_methods: list($("policy-methods").value),
    allow_headers: list($("policy-headers").value),
    expose_headers: list($("policy-expose").value),
    max_age: maxAge,
    allow_credentials: $("policy-credentials").checked,
  });
  const update = { cors_enabled: $("policy-enabled").checked, config };
  setStatus("pending", [el("span", "muted", "Applying…")]);
  let response;
  let body = null;
  try {
    response = await fetch("/api/policy", {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(update),
    });
    body = await response.json();
  } catch (err) {
    setStatus("error", [el("p", "error", `The page server did not answer: ${err.message}`)]);
    return;
  }
  if (response.ok) {
    showPolicy(body);
    setStatus("applied", [el("span", "applied", "Applied: the next request uses this policy.")]);
  } else {
    const message = body && body.error ? body.error : `HTTP ${response.status}`;
    const nodes = [el("pre", "error", message)];
    // Nothing changed: the form goes back to the policy in force (the message names what
    // was refused), so that it never shows a policy the API does not run.
    try {
      showPolicy(await fetchPolicy());
      nodes.push(el("p", "muted resynced", RESYNCED));
    } catch (err) {
      nodes.push(el("p", "error", `Could not read the API's policy: ${err.message}`));
    }
    setStatus("error", nodes);
  }
}

// ---- wiring -----------------------------------------------------------------------------

function init() {
  $("page-origin").textContent = PAGE;
  $("api-origin").textContent = API;
  for (const line of document.querySelectorAll("[data-line]")) {
    const r = REQUESTS[line.dataset.line];
    line.textContent = `${r.method} ${API}/data`;
  }
  for (const button of document.querySelectorAll("[data-request]")) {
    button.addEventListener("click", () => send(button.dataset.request));
  }
  $("policy-form").addEventListener("submit", applyPolicy);
  loadPolicy().finally(() => {
    document.body.dataset.ready = "true";
  });
}

init();
