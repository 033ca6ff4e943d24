// The caption file: the builder's caption, tidied to one paragraph, and, when the figure has
// no legend, a key naming each curve by its line style (papers then need no legend box).

import { plainLine } from "./escape.js";
import { seriesLook } from "./style.js";
import type { FigureSpec, LineStyle } from "./types.js";

const STYLE_WORDS: Record<LineStyle, string> = {
  solid: "solid",
  dashed: "dashed",
  dotted: "dotted",
  dashdot: "dash-dotted",
  longdash: "long-dashed",
};

function sentence(s: string): string {
  // Plain text, one paragraph: no control characters (a terminal would obey them).
  const t = plainLine(s).replace(/\s+/g, " ").trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

export function renderCaption(spec: FigureSpec): string {
  let caption = sentence(spec.caption);
  if ((spec.legend ?? "inside") === "none" && spec.series.length > 1 && !spec.heatmap) {
    // The label's own plain-text notation (q_L(θ)) reads better in a caption than qL(θ).
    const key = spec.series.map((s, i) => `${STYLE_WORDS[seriesLook(i, s.style).style]}: ${s.name.text.trim()}`);
    caption += ` Lines: ${key.join("; ")}.`;
  }
  return caption + "\n";
}
