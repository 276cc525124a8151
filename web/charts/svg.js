// What the SVG drawings share: the namespace, the labels' font size, and el(),
// which makes an SVG element with attributes (set as text, never as markup)
// and appends it to a parent if one is given.
export const SVG = 'http://www.w3.org/2000/svg';
export const FONT_PX = 12;

export function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (parent) parent.append(node);
  return node;
}
