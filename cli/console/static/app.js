// tgw console: a read-only front end over the console's JSON API (/api/...), refreshed every few seconds.
// Every stored value is put into the page as text (never as HTML): telemetry types, client metadata and
// names come from the network's clients.
"use strict";

(() => {
  const REFRESH_SECONDS = Math.max(1, Number(new URLSearchParams(location.search).get("refresh")) || 5);
  const PAUSED_KEY = "tgw-console-paused";
  const RECENT_KEY = "tgw-console-telemetry-lookups";
  const main = document.getElementById("page");
  const banner = document.getElementById("banner");
  const updated = document.getElementById("updated");
  const pauseButton = document.getElementById("pause");

  // ------------------------------------------------------------------ DOM helpers

  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") el.className = value;
      else if (name === "dataset") Object.assign(el.dataset, value);
      else if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
      else el.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : String(child));
    }
    return el;
  }

  // replaceChildren, leaving out absent parts (it would print "null")
  function fill(el, ...children) {
    el.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  }

  const link = (href, text, props) => h("a", { href, ...(props || {}) }, text);
  const enc = encodeURIComponent;

  function count(name, value, label) {
    return h("div", { class: "count" }, h("b", { dataset: { count: name } }, String(value)), h("span", {}, label));
  }

  function section(title, ...children) {
    return h("section", { class: "panel" }, h("h2", {}, title), ...children);
  }

  function empty(name, text) {
    return h("p", { class: "empty", dataset: { empty: name } }, text);
  }

  // columns: [title, row => content, optional class]
  function grid(name, columns, rows, emptyText) {
    if (!rows.length) return empty(name, emptyText);
    return h(
      "table",
      { class: "grid", dataset: { table: name } },
      h("thead", {}, h("tr", {}, columns.map(([title]) => h("th", {}, title)))),
      h("tbody", {}, rows.map((row) => h("tr", {}, columns.map(([, cell, cls]) => h("td", { class: cls }, cell(row)))))),
    );
  }

  function facts(pairs) {
    return h("dl", { class: "facts" }, pairs.filter(Boolean).map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]));
  }

  function badge(text, kind) {
    return h("span", { class: `badge badge-${kind || text}` }, text);
  }

  function when(date) {
    if (!date) return "never";
    return `${String(date).replace("T", " ").replace(/(\.\d+)?(Z|\+00:00)?$/, "")} UTC`;
  }

  function ago(date, now) {
    if (!date) return "";
    const parse = (text) => Date.parse(/Z|[+-]\d\d:\d\d$/.test(text) ? text : `${text}Z`);
    const seconds = Math.round((parse(now) - parse(date)) / 1000);
    if (!Number.isFinite(seconds)) return "";
    if (seconds < 90) return `${Math.max(seconds, 0)} s ago`;
    if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
    if (seconds < 172800) return `${Math.round(seconds / 3600)} h ago`;
    return `${Math.round(seconds / 86400)} days ago`;
  }

  const short = (text, n = 12) => (text && text.length > n ? `${text.slice(0, n)}…` : text || "");
  const plural = (n, one, many) => `${n} ${n === 1 ? one : many || `${one}s`}`;

  function bytes(n) {
    if (n === null || n === undefined) return "";
    if (n < 1024) return `${n} B`;
    if (n < 1048576) return `${(n / 1024).toFixed(1)} KiB`;
    return `${(n / 1048576).toFixed(1)} MiB`;
  }

  // ------------------------------------------------------------------ the API

  async function getJSON(url) {
    let response;
    try {
      response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
    } catch (failure) {
      throw new Error("the console does not answer: is `tgw console` still running?");
    }
    let body = null;
    try {
      body = await response.json();
    } catch (failure) {
      body = null;
    }
    if (!response.ok) throw new Error((body && body.error) || `HTTP ${response.status}`);
    return body;
  }

  // ------------------------------------------------------------------ the map (no tiles: country shapes only)

  let worldShapes = null;
  function world() {
    if (!worldShapes) {
      worldShapes = fetch("/vendor/world-atlas/countries-50m.json")
        .then((response) => {
          if (!response.ok) throw new Error(`map data: HTTP ${response.status}`);
          return response.json();
        })
        .then((topology) => {
          const shapes = topojson.feature(topology, topology.objects.countries);
          // Antarctica (ISO 3166 010) only draws a seam along the map's bottom edge in Web Mercator
          shapes.features = shapes.features.filter((feature) => feature.id !== "010");
          return shapes;
        });
    }
    return worldShapes;
  }

  function worldMap(element) {
    const map = L.map(element, { worldCopyJump: true, minZoom: 1, maxZoom: 13, zoomSnap: 0.5 });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Natural Earth (world-atlas) · Leaflet");
    map.setView([20, 0], 2);
    world()
      .then((shapes) => {
        L.geoJSON(shapes, {
          interactive: false,
          style: () => ({ className: "country", weight: 0.6, fillOpacity: 1 }),
        })
          .addTo(map)
          .bringToBack();
        element.dataset.world = "ready";
      })
      .catch((failure) => {
        element.dataset.world = "error";
        showBanner(`The map's country shapes could not be loaded: ${failure.message}`);
      });
    return map;
  }

  // ------------------------------------------------------------------ pages

  const lookupForm = (selector, value) => {
    const choice = h(
      "select",
      { name: "selector", "aria-label": "look up by" },
      ["type", "client", "registration"].map((s) => h("option", { value: s, selected: s === selector }, `by ${s}`)),
    );
    const input = h("input", { name: "value", value: value || "", placeholder: "telemetry type, clientId or registration id", required: true, size: 44 });
    return h(
      "form",
      {
        class: "lookup",
        dataset: { form: "telemetry-lookup" },
        onsubmit: (event) => {
          event.preventDefault();
          const text = input.value.trim();
          if (text) location.hash = `#/telemetry/${choice.value}/${enc(text)}`;
        },
      },
      choice,
      input,
      h("button", { type: "submit" }, "Show"),
    );
  };

  function remember(selector, value) {
    const entry = `${selector}\n${value}`;
    const kept = (JSON.parse(localStorage.getItem(RECENT_KEY) || "[]") || []).filter((e) => e !== entry);
    localStorage.setItem(RECENT_KEY, JSON.stringify([entry, ...kept].slice(0, 10)));
  }

  function itemRows(items, emptyText) {
    return grid(
      "items",
      [
        ["Event time", (i) => when(i.eventTime)],
        ["Type", (i) => link(`#/telemetry/type/${enc(i.telemetryType)}`, i.telemetryType)],
        ["Sender (bundleClientId)", (i) => link(`#/telemetry/client/${enc(i.bundleClientId)}`, short(i.bundleClientId, 13))],
        ["Registration", (i) => link(`#/telemetry/registration/${enc(i.registrationId)}`, i.registrationId)],
        ["Customer", (i) => i.customerId],
        ["Data", (i) => bytes(i.dataSize), "num"],
        ["Received", (i) => when(i.receivedAt)],
        ["Item", (i) => link(`#/telemetry/item/${i.key}`, short(i.key), { class: "mono", dataset: { item: i.key } })],
      ],
      items,
      emptyText,
    );
  }

  function moreNote(data, shown) {
    if (!data.more) return null;
    const next = Math.min(data.limit * 2, 1000);
    const [path] = location.hash.split("?");
    return h(
      "p",
      { class: "note" },
      `Showing the first ${shown}; more exist. `,
      data.limit < 1000 ? link(`${path}?limit=${next}`, `Show ${next}`) : "Use `tgw telemetry list` for the rest.",
    );
  }

  const TELEMETRY_TITLES = {
    type: (v) => `Telemetry of type ${v}`,
    client: (v) => `Telemetry client ${v}`,
    registration: (v) => `Telemetry of registration ${v}`,
  };

  const pages = {
    // ---------------------------------------------------------------- sensors
    namespaces: {
      nav: "sensors",
      api: () => "/api/sensors/namespaces",
      mount(ctx) {
        const input = h("input", { name: "namespace", placeholder: "namespace, e.g. test", pattern: "[a-z0-9-]{1,40}", required: true });
        ctx.body = h("div");
        main.append(
          h("h1", {}, "Sensor namespaces"),
          h(
            "form",
            {
              class: "lookup",
              onsubmit: (event) => {
                event.preventDefault();
                location.hash = `#/sensors/${enc(input.value.trim())}`;
              },
            },
            input,
            h("button", { type: "submit" }, "Open"),
          ),
          ctx.body,
        );
      },
      update(ctx, data) {
        fill(
          ctx.body,
          h("div", { class: "counts" }, count("namespaces", data.namespaces.length, "namespaces with clients")),
          section(
            "Namespaces",
            grid("namespaces", [["Namespace", (ns) => link(`#/sensors/${enc(ns)}`, ns, { dataset: { namespace: ns } })]], data.namespaces, "No namespace has had a client yet."),
          ),
        );
      },
    },

    fleet: {
      nav: "sensors",
      api: ([ns]) => `/api/sensors/${enc(ns)}`,
      mount(ctx, [ns]) {
        ctx.counts = h("div", { class: "counts" });
        ctx.note = h("div");
        const mapElement = h("div", { id: "map", class: "map", dataset: { map: "fleet" } });
        ctx.tables = h("div", { class: "columns" });
        main.append(
          h("h1", {}, "Namespace ", h("span", { class: "mono" }, ns), " ", link("#/sensors", "all namespaces", { class: "aside" })),
          ctx.counts,
          ctx.note,
          mapElement,
          h(
            "p",
            { class: "legend" },
            h("span", { class: "key key-active" }, "active client"),
            h("span", { class: "key key-inactive" }, "inactive client"),
            h("span", { class: "key key-cell" }, "cell (geohash 5; darker: more active)"),
            h("span", { class: "key key-event" }, "event in the last day"),
            h("span", { class: "key key-request" }, "open area data request"),
          ),
          ctx.tables,
        );
        ctx.map = worldMap(mapElement);
        ctx.layers = L.layerGroup().addTo(ctx.map);
        ctx.destroy = () => ctx.map.remove();
      },
      update(ctx, data, [ns]) {
        const c = data.counts;
        fill(ctx.counts,
          count("clients", c.clients, "clients"),
          count("active", c.active, "active"),
          count("inactive", c.inactive, "inactive"),
          count("cells", c.cells, "cells"),
          count("events", c.events, "events, last day"),
          count("open-requests", c.openRequests, "open data requests"),
        );
        fill(ctx.note,
          c.clients === 0 ? empty("clients", `No clients in namespace ${ns} yet.`) : null,
          data.more ? h("p", { class: "note" }, `Showing the first ${c.clients} clients; more exist.`) : null,
        );
        drawFleet(ctx, data, ns);
        fill(ctx.tables,
          section(
            "Cells",
            grid(
              "cells",
              [
                ["Cell", (cell) => h("span", { class: "mono" }, cell.cell)],
                ["Clients", (cell) => cell.clients, "num"],
                ["Active", (cell) => cell.active, "num"],
                ["Inactive", (cell) => cell.inactive, "num"],
                ["Stored active count", (cell) => cell.storedActiveCount, "num"],
              ],
              data.cells,
              "No client has a location yet.",
            ),
          ),
          section(
            "Clients",
            grid(
              "clients",
              [
                ["Client", (cl) => link(`#/sensors/${enc(ns)}/clients/${cl.clientId}`, cl.clientId, { class: "mono", dataset: { client: cl.clientId } })],
                ["State", (cl) => (cl.disabled ? badge("disabled") : badge(cl.active ? "active" : "inactive"))],
                ["Last heartbeat", (cl) => (cl.lastSeen ? `${when(cl.lastSeen)} (${ago(cl.lastSeen, data.now)})` : "never")],
                ["Cell", (cl) => h("span", { class: "mono" }, cl.cell || "—")],
                ["Sensors", (cl) => cl.sensors, "num"],
              ],
              data.clients,
              `No clients in namespace ${ns} yet.`,
            ),
          ),
          section(
            "Events of the last day",
            grid(
              "events",
              [
                ["Event", (e) => e.event_id, "num"],
                ["Time", (e) => when(e.time)],
                ["Cell", (e) => h("span", { class: "mono" }, e.cell)],
                ["Type", (e) => e.sensor_type],
                ["Clients n / active A", (e) => `${e.clients} / ${e.active}`],
                ["Peak readings (g)", (e) => e.readings.map((r) => r.toFixed(3)).join(", ")],
                ["Request", (e) => e.request_id, "num"],
              ],
              data.events,
              "No events detected in the last day.",
            ),
          ),
          section(
            "Open data requests",
            grid(
              "requests",
              [
                ["Request", (r) => r.request_id, "num"],
                ["Target", (r) => describeTarget(r)],
                ["Data", (r) => (r.current ? "current" : `${when(r.start)} – ${when(r.end)}`)],
                ["Origin", (r) => r.origin],
                ["Expires", (r) => when(r.expires)],
                ["Uploaded by", (r) => plural(r.fulfilled_sensors.length, "sensor")],
              ],
              data.requests,
              "No open data requests.",
            ),
          ),
        );
      },
    },

    client: {
      nav: "sensors",
      api: ([ns, id]) => `/api/sensors/${enc(ns)}/clients/${enc(id)}`,
      mount(ctx, [ns, id]) {
        ctx.body = h("div");
        main.append(
          h("h1", {}, "Client ", h("span", { class: "mono" }, id), " ", link(`#/sensors/${enc(ns)}`, `namespace ${ns}`, { class: "aside" })),
          ctx.body,
        );
      },
      update(ctx, data) {
        const cl = data.client;
        const cd = cl.clientData || {};
        const state = cl.disabled ? badge("disabled") : badge(cl.active ? "active" : "inactive");
        const described = Object.entries(cd).filter(([key]) => !["latitude", "longitude", "locationSourceType", "otherMetadata"].includes(key));
        fill(
          ctx.body,
          h("div", { class: "counts" }, count("sensors", data.counts.sensors, "sensors"), count("readings", data.counts.readings, "readings")),
          section(
            "State",
            facts([
              ["State", state],
              ["Last heartbeat", cl.lastSeen ? `${when(cl.lastSeen)} (${ago(cl.lastSeen, data.now)})` : "never"],
              ["Created", when(cl.createdAt)],
              ["Location", cd.latitude !== undefined ? `${cd.latitude}, ${cd.longitude}${cd.locationSourceType ? ` (${cd.locationSourceType})` : ""}` : "none"],
              ["Cell", cl.cell ? `${cl.cell} (stored active count ${cl.cellActiveCount})` : "none"],
              ["Last status change", cl.statusChange ? `${cl.statusChange} at ${when(cl.statusChangedAt)}` : "none"],
              ["Metadata changed", cl.metadataChanged ? "yes (the next heartbeat tells the client)" : "no"],
              ["Requests delivered up to", cl.requestCursor],
              ...described.map(([key, value]) => [key, String(value)]),
            ]),
          ),
          section(
            "Sensors",
            grid(
              "sensors",
              [
                ["Sensor", (s) => h("span", { class: "mono" }, s.sensorId)],
                ["Type", (s) => s.sensorType],
                ["State", (s) => (s.removed ? badge("removed") : s.connected === null ? "not reported" : s.connected ? badge("connected", "active") : badge("disconnected", "inactive"))],
                ["Background rate", (s) => (s.eventRate ? `${s.eventRate.event_count ?? "?"} picks / ${s.eventRate.time_window ?? "?"} s (${when(s.eventRate.reported_at)})` : "not reported")],
              ],
              cl.sensors,
              "This client has no sensors.",
            ),
          ),
          section(
            "Readings",
            grid(
              "readings",
              [
                ["Reading", (r) => h("span", { class: "mono" }, r.sensor_reading_id)],
                ["Sensor", (r) => h("span", { class: "mono" }, r.sensor_id)],
                ["For", (r) => (r.current ? "current data" : `request ${r.request_id}`)],
                ["Window", (r) => `${when(r.start)} – ${when(r.end)}`],
                ["Size", (r) => bytes(r.size), "num"],
                ["SHA-256", (r) => h("span", { class: "mono", title: r.sha256 }, short(r.sha256, 16))],
                ["Received", (r) => when(r.received)],
              ],
              data.readings,
              "No readings uploaded by this client.",
            ),
          ),
          section(
            "Key-values",
            grid(
              "keyvalues",
              [
                ["Key", (kv) => kv.key],
                ["Value", (kv) => String(kv.stringValue ?? kv.doubleValue ?? kv.longValue ?? kv.boolValue ?? "")],
              ],
              cd.otherMetadata || [],
              "No key-values.",
            ),
          ),
        );
      },
    },

    // ---------------------------------------------------------------- telemetry
    telemetry: {
      nav: "telemetry",
      api: null,
      mount() {
        const recent = (JSON.parse(localStorage.getItem(RECENT_KEY) || "[]") || []).map((entry) => entry.split("\n"));
        main.append(
          h("h1", {}, "Telemetry"),
          h("p", { class: "note" }, "Stored telemetry is indexed by type, by sender (bundleClientId) and by registration; there is no list of them to browse (it would scan the table). Look one up:"),
          lookupForm("type", ""),
          section(
            "Looked up recently (in this browser)",
            grid("recent", [["By", ([s]) => s], ["Value", ([s, v]) => link(`#/telemetry/${s}/${enc(v)}`, v)]], recent, "Nothing yet."),
          ),
        );
      },
    },

    telemetryList: {
      nav: "telemetry",
      api: ([selector, value], query) => {
        const limit = query.get("limit") ? `limit=${enc(query.get("limit"))}` : "";
        if (selector === "client") return `/api/telemetry/clients/${enc(value)}${limit ? `?${limit}` : ""}`;
        return `/api/telemetry/items?${selector}=${enc(value)}${limit ? `&${limit}` : ""}`;
      },
      mount(ctx, [selector, value]) {
        remember(selector, value);
        ctx.body = h("div");
        main.append(h("h1", {}, TELEMETRY_TITLES[selector](value)), lookupForm(selector, value), ctx.body);
      },
      update(ctx, data, [selector, value]) {
        const nothing = { type: `No items of type ${value}.`, client: `No items sent by client ${value}.`, registration: `No items of registration ${value}.` }[selector];
        const items = itemRows(data.items, nothing);
        const parts = [h("div", { class: "counts" }, count("items", data.items.length, "items"), selector === "client" ? count("registrations", data.registrations.length, "registrations") : null)];
        if (selector === "client") {
          parts.push(
            section(
              "Registrations (clientId)",
              grid(
                "registrations",
                [
                  ["Registration", (r) => link(`#/telemetry/registration/${enc(r.registrationId)}`, r.registrationId)],
                  ["Registered", (r) => when(r.createdAt)],
                  ["systemUUID", (r) => r.systemUUID || "—"],
                  ["Client timestamp", (r) => r.timestamp],
                ],
                data.registrations,
                `No registrations of client ${value}.`,
              ),
            ),
          );
        }
        parts.push(section(selector === "client" ? "Items sent (bundleClientId)" : "Items", items, moreNote(data, data.items.length)));
        fill(ctx.body, ...parts);
      },
    },

    item: {
      nav: "telemetry",
      api: ([key]) => `/api/telemetry/items/${enc(key)}`,
      mount(ctx, [key]) {
        ctx.body = h("div");
        main.append(h("h1", {}, "Telemetry item ", h("span", { class: "mono small" }, key)), ctx.body);
      },
      update(ctx, data) {
        const it = data.item;
        let text = data.data;
        if (text !== null && !data.dataTruncated) {
          try {
            text = JSON.stringify(JSON.parse(text), null, 2);
          } catch (failure) {
            // shown as stored
          }
        }
        const known = ["key", "telemetryType", "bundleClientId", "registrationId"];
        fill(
          ctx.body,
          section(
            "Item",
            facts([
              ["Type", link(`#/telemetry/type/${enc(it.telemetryType)}`, it.telemetryType)],
              ["Sender (bundleClientId)", link(`#/telemetry/client/${enc(it.bundleClientId)}`, it.bundleClientId)],
              ["Registration", link(`#/telemetry/registration/${enc(it.registrationId)}`, it.registrationId)],
              ...Object.entries(it)
                .filter(([name]) => !known.includes(name))
                .map(([name, value]) => [name, typeof value === "object" && value !== null ? JSON.stringify(value) : String(value)]),
            ]),
          ),
          section(
            "Data",
            text === null ? empty("data", "This item has no data.") : h("pre", { class: "data", dataset: { data: "item" } }, text),
            data.dataTruncated ? h("p", { class: "note" }, `Showing the first 65,536 of ${data.dataChars} characters; \`tgw telemetry show\` prints all.`) : null,
          ),
        );
      },
    },

    // ---------------------------------------------------------------- notify
    notify: {
      nav: "notify",
      api: () => "/api/notify",
      mount(ctx) {
        ctx.body = h("div");
        main.append(h("h1", {}, "Notify"), ctx.body);
      },
      update(ctx, data) {
        const c = data.counts;
        fill(
          ctx.body,
          h(
            "div",
            { class: "counts" },
            count("users", c.users, "users"),
            count("circuits", c.circuits, "circuits"),
            count("pending", c.pending, "pending"),
            count("replied", c.replied, "replied"),
            count("expired", c.expired, "expired"),
          ),
          h("p", { class: "note" }, "Live messages only (kept for the message TTL). Credentials are never shown."),
          section(
            "Circuits",
            grid(
              "circuits",
              [
                ["Circuit", (ci) => link(`#/notify/circuits/${enc(ci.name)}`, ci.name, { dataset: { circuit: ci.name } })],
                ["State", (ci) => badge(ci.state)],
                ["Created", (ci) => when(ci.createdAt)],
                ["Pending", (ci) => ci.messages.pending, "num"],
                ["Replied", (ci) => ci.messages.replied, "num"],
                ["Expired", (ci) => ci.messages.expired, "num"],
              ],
              data.circuits,
              "No circuits yet: `tgw notify circuit create --name NAME` makes one.",
            ),
          ),
          section(
            "Users",
            grid(
              "users",
              [
                ["User", (u) => u.name],
                ["State", (u) => badge(u.state)],
                ["Created", (u) => when(u.createdAt)],
              ],
              data.users,
              "No users yet: `tgw notify user create --name NAME` makes one.",
            ),
          ),
        );
      },
    },

    circuit: {
      nav: "notify",
      api: ([name]) => `/api/notify/circuits/${enc(name)}`,
      mount(ctx, [name]) {
        ctx.body = h("div");
        main.append(h("h1", {}, "Circuit ", h("span", { class: "mono" }, name), " ", link("#/notify", "all circuits", { class: "aside" })), ctx.body);
      },
      update(ctx, data, [name]) {
        const c = data.counts;
        fill(
          ctx.body,
          h(
            "div",
            { class: "counts" },
            count("messages", data.messages.length, "live messages"),
            count("pending", c.pending, "pending"),
            count("replied", c.replied, "replied"),
            count("expired", c.expired, "expired"),
          ),
          h("p", { class: "note" }, `Circuit ${data.circuit.state}, created ${when(data.circuit.createdAt)}. Headers and bodies are not shown (they may carry the Client's credentials): only their sizes.`),
          section(
            "Messages, newest first",
            grid(
              "messages",
              [
                ["Seq", (m) => m.seq, "num"],
                ["Message id", (m) => h("span", { class: "mono" }, m.messageId)],
                ["User", (m) => m.user],
                ["Arrived", (m) => when(m.arrivedAt)],
                ["Deadline", (m) => when(m.deadline)],
                ["State", (m) => badge(m.state)],
                ["Body", (m) => bytes(m.bodyBytes), "num"],
                ["Header lines", (m) => m.headerLines, "num"],
              ],
              data.messages,
              `No live messages in circuit ${name}.`,
            ),
            data.more ? h("p", { class: "note" }, `Showing the newest ${data.messages.length}; more exist.`) : null,
          ),
        );
      },
    },
  };

  function describeTarget(request) {
    if (request.target === "area" && request.area) return `${request.area.metres.toLocaleString("en")} m around ${request.area.latitude.map((lat, i) => `${lat.toFixed(3)}, ${request.area.longitude[i].toFixed(3)}`).join("; ")}`;
    if (request.target === "sensor") return `sensor ${request.sensor_id}`;
    if (request.target === "client") return `client ${request.client_id}`;
    return "every client";
  }

  function drawFleet(ctx, data, ns) {
    ctx.layers.clearLayers();
    const extent = L.latLngBounds([]);
    for (const cell of data.cells) {
      const b = cell.bounds;
      const box = [[b.south, b.west], [b.north, b.east]];
      const share = cell.clients ? cell.active / cell.clients : 0;
      L.rectangle(box, { className: `cell ${cell.active ? "cell-active" : "cell-inactive"}`, weight: 1, fillOpacity: 0.15 + 0.5 * share })
        .bindTooltip(h("span", {}, `cell ${cell.cell}: ${cell.active} of ${cell.clients} active`))
        .addTo(ctx.layers);
      extent.extend(box);
    }
    for (const event of data.events) {
      const b = event.bounds;
      L.rectangle([[b.south, b.west], [b.north, b.east]], { className: "event", weight: 3, fill: false, dashArray: "4 3" })
        .bindTooltip(h("span", {}, `event ${event.event_id} at ${when(event.time)}: ${event.clients} clients picked`))
        .addTo(ctx.layers);
    }
    for (const request of data.requests) {
      if (!request.area) continue;
      request.area.latitude.forEach((lat, i) => {
        L.circle([lat, request.area.longitude[i]], { radius: request.area.metres, className: "request-area", weight: 1.5, fill: false, dashArray: "6 4", interactive: false }).addTo(ctx.layers);
      });
    }
    // clients at one spot share one marker; its popup lists them
    const spots = new Map();
    for (const client of data.clients) {
      if (client.latitude === null) continue;
      const spot = `${client.latitude},${client.longitude}`;
      if (!spots.has(spot)) spots.set(spot, []);
      spots.get(spot).push(client);
    }
    for (const clients of spots.values()) {
      const active = clients.filter((cl) => cl.active).length;
      const at = [clients[0].latitude, clients[0].longitude];
      const popup = h(
        "div",
        {},
        h("b", {}, plural(clients.length, "client")),
        h("ul", { class: "popup" }, clients.map((cl) => h("li", {}, link(`#/sensors/${enc(ns)}/clients/${cl.clientId}`, cl.clientId), " ", badge(cl.active ? "active" : "inactive")))),
      );
      L.circleMarker(at, { className: `client ${active ? "client-active" : "client-inactive"}`, radius: 5 + 2 * Math.min(clients.length - 1, 5), weight: 2, fillOpacity: 0.9 })
        .bindPopup(popup)
        .bindTooltip(h("span", {}, `${plural(clients.length, "client")}, ${active} active`))
        .addTo(ctx.layers);
      extent.extend(at);
    }
    if (!ctx.fitted && extent.isValid()) {
      ctx.map.fitBounds(extent.pad(0.4), { maxZoom: 10 });
      ctx.fitted = true;
    }
  }

  // ------------------------------------------------------------------ routing and refreshing

  const ROUTES = [
    [/^#\/sensors\/([a-z0-9-]{1,40})\/clients\/(\d{1,20})$/, pages.client],
    [/^#\/sensors\/([a-z0-9-]{1,40})$/, pages.fleet],
    [/^#\/sensors$/, pages.namespaces],
    [/^#\/telemetry\/item\/([0-9a-f]{64})$/, pages.item],
    [/^#\/telemetry\/(type|client|registration)\/([^/]+)$/, pages.telemetryList],
    [/^#\/telemetry$/, pages.telemetry],
    [/^#\/notify\/circuits\/([^/]+)$/, pages.circuit],
    [/^#\/notify$/, pages.notify],
  ];

  let current = null; // { page, args, query, ctx, loadedAt, busy }
  let paused = localStorage.getItem(PAUSED_KEY) === "yes";

  function showBanner(text) {
    banner.textContent = text;
    banner.hidden = false;
  }

  function route() {
    const [path, search] = (location.hash || "#/sensors").split("?");
    for (const [pattern, page] of ROUTES) {
      const matched = pattern.exec(path);
      if (matched) return { page, args: matched.slice(1).map(decodeURIComponent), query: new URLSearchParams(search || "") };
    }
    return null;
  }

  function show() {
    if (current && current.ctx.destroy) current.ctx.destroy();
    const found = route();
    if (!found) {
      location.replace("#/sensors");
      return;
    }
    const name = Object.keys(pages).find((key) => pages[key] === found.page);
    current = { ...found, ctx: {}, loadedAt: null, busy: false };
    banner.hidden = true;
    main.replaceChildren();
    main.dataset.page = name;
    main.dataset.route = location.hash;
    main.dataset.state = "loading";
    main.dataset.updates = "0";
    for (const a of document.querySelectorAll("[data-nav]")) a.classList.toggle("current", a.dataset.nav === found.page.nav);
    found.page.mount(current.ctx, found.args, found.query);
    load();
  }

  async function load() {
    const view = current;
    if (!view || view.busy) return;
    if (!view.page.api) {
      view.loadedAt = Date.now();
      main.dataset.state = "ready";
      main.dataset.updates = String(Number(main.dataset.updates) + 1);
      updated.textContent = "nothing to refresh";
      return;
    }
    view.busy = true;
    try {
      const data = await getJSON(view.page.api(view.args, view.query));
      if (view !== current) return;
      view.page.update(view.ctx, data, view.args, view.query);
      view.loadedAt = Date.now();
      main.dataset.state = "ready";
      main.dataset.updates = String(Number(main.dataset.updates) + 1);
      banner.hidden = true;
      showUpdated();
    } catch (failure) {
      if (view !== current) return;
      view.loadedAt = Date.now();
      const kept = main.dataset.state === "ready" ? ` Showing what was read at ${updated.dataset.time}.` : "";
      if (main.dataset.state !== "ready") main.dataset.state = "error";
      showBanner(`Could not load this page: ${failure.message}.${kept} Retrying every ${REFRESH_SECONDS} s.`);
    } finally {
      view.busy = false;
    }
  }

  function showUpdated() {
    const time = new Date().toLocaleTimeString("en-GB");
    updated.dataset.time = time;
    updated.textContent = `${paused ? "Paused · " : ""}Updated ${time}`;
  }

  function setPaused(value) {
    paused = value;
    localStorage.setItem(PAUSED_KEY, value ? "yes" : "no");
    pauseButton.textContent = value ? "Resume" : "Pause";
    pauseButton.setAttribute("aria-pressed", String(value));
    if (updated.dataset.time) showUpdated();
  }

  pauseButton.addEventListener("click", () => setPaused(!paused));
  document.getElementById("refresh").addEventListener("click", () => load());
  window.addEventListener("hashchange", show);
  setInterval(() => {
    if (paused || document.hidden || !current || !current.page.api || current.busy) return;
    if (current.loadedAt !== null && Date.now() - current.loadedAt >= REFRESH_SECONDS * 1000) load();
  }, 250);

  setPaused(paused);
  getJSON("/api/status")
    .then((status) => {
      document.getElementById("target").textContent = status.target;
    })
    .catch(() => {});
  show();
})();
