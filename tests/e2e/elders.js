// Measures the page for tests/e2e/elders.py: what is too small, too faint or too tight, as text.
(limits) => {
  const problems = [];
  const hidden = (el) => {
    if (el.closest('.visually-hidden, [hidden], [aria-hidden="true"], svg, template, option')) return true;
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width === 0 || r.height === 0 || s.visibility === 'hidden' || s.display === 'none';
  };
  const name = (el) => el.tagName.toLowerCase()
    + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '')
    + ' "' + (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40) + '"';
  const rgba = (text) => {
    const m = text.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.backgroundImage !== 'none') return { image: e };
      const c = rgba(s.backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] === 1) break; }
    }
    let colour = [255, 255, 255, 1];
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return { colour };
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };

  let texts = 0, targets = 0;
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.data.trim() || seen.has(el)) continue;
    seen.add(el);
    if (hidden(el) || el.closest('script, style, noscript')) continue;
    if (el.closest('.skip-link') && !el.closest('.skip-link').matches(':focus')) continue;  // off screen until focused
    texts += 1;
    const s = getComputedStyle(el);
    const size = parseFloat(s.fontSize);
    if (size < limits.text) problems.push(`text ${size}px: ${name(el)}`);
    const line = s.lineHeight === 'normal' ? NaN : parseFloat(s.lineHeight) / size;
    if (!(line >= limits.line)) problems.push(`line height ${s.lineHeight} at ${size}px: ${name(el)}`);
    if (el.closest(':disabled')) continue;  // a control that cannot be used is exempt from contrast
    const bg = background(el);
    if (bg.image) { problems.push(`text on a background image: ${name(el)}`); continue; }
    const ratio = contrast(over(rgba(s.color), bg.colour), bg.colour);
    if (ratio < limits.contrast) problems.push(`contrast ${ratio.toFixed(2)}: ${name(el)}`);
  }
  const inSentence = (a) => {
    if (getComputedStyle(a).display !== 'inline') return false;
    const block = a.parentElement;
    return block && block.innerText.trim().length > a.innerText.trim().length;
  };
  const controls = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], [tabindex]:not([tabindex="-1"])';
  for (const el of document.querySelectorAll(controls)) {
    if (hidden(el) || el.matches('.skip-link')) continue;
    if (el.matches('a') && inSentence(el)) continue;
    targets += 1;
    let r = el.getBoundingClientRect();
    let [left, top, right, bottom] = [r.left, r.top, r.right, r.bottom];
    if (el.matches('input[type="checkbox"], input[type="radio"]')) {
      for (const label of el.labels || []) {
        const l = label.getBoundingClientRect();
        [left, top, right, bottom] = [Math.min(left, l.left), Math.min(top, l.top), Math.max(right, l.right), Math.max(bottom, l.bottom)];
      }
    }
    const [w, h] = [right - left, bottom - top];
    if (w < limits.target - 0.5 || h < limits.target - 0.5) problems.push(`target ${Math.round(w)}×${Math.round(h)}: ${name(el)}`);
  }
  return { problems, texts, targets, elder: document.documentElement.classList.contains('elder') };
}
