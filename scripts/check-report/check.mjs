// Opens OUT/report.html from disk in headless Chromium (playwright-core, no browser download) and
// checks: every chart container drew a canvas of non-zero size, no request left file://, hovering
// a measured point shows a tooltip naming n, seed and m*, and the legend toggles a series.
// Writes a screenshot of the first plots. Usage: node check.mjs OUT/report.html SHOT.png
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [report, shot] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const profile = mkdtempSync(join(tmpdir(), "widthlaw-chromium-"));
const failures = [];
const fail = (m) => { failures.push(m); console.log("FAIL " + m); };
const ok = (m) => console.log("ok   " + m);

const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  viewport: { width: 1640, height: 1000 },
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
try {
  const page = context.pages()[0] || (await context.newPage());
  const network = [];
  const errors = [];
  page.on("request", (r) => { if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) network.push(r.url()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  const url = pathToFileURL(resolve(report)).href;
  await page.goto(url, { waitUntil: "load" });
  await page.waitForFunction(() => Array.isArray(window.widthlawCharts), null, { timeout: 20000 });

  // every chart container holds a drawn canvas of non-zero size
  const charts = await page.$$eval(".chart", (els) => els.map((el) => {
    const c = el.querySelector("canvas");
    const r = c ? c.getBoundingClientRect() : { width: 0, height: 0 };
    let inked = 0;
    if (c) {
      const ctx = c.getContext("2d");
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < d.length; i += 4 * 97) if (d[i] > 0) inked++;
    }
    return { name: el.getAttribute("data-figure"), width: r.width, height: r.height, inked };
  }));
  if (charts.length === 0) fail("no chart container in the page");
  for (const c of charts) {
    if (c.width > 0 && c.height > 0 && c.inked > 50) ok(`chart ${c.name}: canvas ${c.width}x${c.height}, drawn`);
    else fail(`chart ${c.name}: canvas ${c.width}x${c.height}, ${c.inked} inked samples`);
  }

  // hover the first measured point of the first chart whose points carry a cell
  const target = await page.evaluate(() => {
    for (const { name, chart } of window.widthlawCharts) {
      const opt = chart.getOption();
      for (let si = 0; si < opt.series.length; si++) {
        const s = opt.series[si];
        if (s.type !== "scatter" || !s.data || !s.data.length || !s.data[0].info || !("seed" in s.data[0].info)) continue;
        const px = chart.convertToPixel({ seriesIndex: si }, s.data[0].value);
        const box = chart.getDom().getBoundingClientRect();
        chart.getDom().scrollIntoView();
        const b = chart.getDom().getBoundingClientRect();
        return { name, x: b.left + px[0], y: b.top + px[1], info: s.data[0].info };
      }
    }
    return null;
  });
  if (!target) fail("no point with a cell to hover");
  else {
    await page.mouse.move(target.x + 40, target.y + 40);
    await page.mouse.move(target.x, target.y, { steps: 5 });
    await page.waitForTimeout(400);
    const tip = await page.evaluate(() => {
      const els = [...document.querySelectorAll("div")].filter((d) =>
        d.style && d.style.position === "absolute" && d.style.display !== "none" && /seed/.test(d.textContent));
      return els.length ? els[els.length - 1].innerText : "";
    });
    if (/\bn: /.test(tip) && /seed: /.test(tip) && /m\*: /.test(tip))
      ok(`hover on ${target.name} (n=${target.info.n}, seed ${target.info.seed}): tooltip "${tip.replace(/\n/g, "; ")}"`);
    else fail(`hover on ${target.name}: no tooltip naming n, seed and m* (got "${tip}")`);
  }

  // the legend toggles a series (ECharts' legendToggleSelect, as a click on the entry does)
  const toggled = await page.evaluate(() => {
    const { chart } = window.widthlawCharts[0];
    const first = chart.getOption().legend[0].data[0];
    const name = typeof first === "string" ? first : first.name;
    const before = chart.getOption().legend[0].selected[name] !== false;
    chart.dispatchAction({ type: "legendToggleSelect", name });
    const after = chart.getOption().legend[0].selected[name] !== false;
    chart.dispatchAction({ type: "legendToggleSelect", name });
    return { name, before, after };
  });
  if (toggled.before && !toggled.after) ok(`legend toggles "${toggled.name}"`);
  else fail(`legend did not toggle "${toggled.name}"`);

  if (errors.length) fail("page errors: " + errors.join(" | "));
  else ok("no script errors");
  if (network.length) fail("network requests: " + network.join(", "));
  else ok("no network request (offline)");

  if (shot) {
    await page.evaluate(() => window.scrollTo(0, 0));
    const first = await page.$(".chart");
    const top = await first.evaluate((el) => el.closest("figure").getBoundingClientRect().top + window.scrollY);
    await page.evaluate((y) => window.scrollTo(0, y - 60), top);
    await page.waitForTimeout(200);
    const t2 = await page.evaluate(() => {
      const { chart } = window.widthlawCharts[1] || window.widthlawCharts[0];
      const opt = chart.getOption();
      const si = opt.series.findIndex((s) => s.type === "scatter" && s.data && s.data.length && s.data[0].info);
      if (si < 0) return null;
      const d = opt.series[si].data[opt.series[si].data.length - 1];
      const px = chart.convertToPixel({ seriesIndex: si }, d.value);
      const b = chart.getDom().getBoundingClientRect();
      return { x: b.left + px[0], y: b.top + px[1] };
    });
    if (t2) { await page.mouse.move(t2.x, t2.y, { steps: 5 }); await page.waitForTimeout(400); }
    await page.screenshot({ path: shot, clip: { x: 0, y: 0, width: 1640, height: 1000 } });
    ok("screenshot " + shot);
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
if (failures.length) {
  console.log(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log("report.html drew every chart offline");
