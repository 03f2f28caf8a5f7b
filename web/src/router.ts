// Every view has its own URL under /dashboard/, so any of them can be shared or bookmarked.
import { useEffect, useState } from "preact/hooks";

export const BASE = "/dashboard";
export const TOPICS = ["poverty", "flood", "water", "land", "complaints", "projects"] as const;
export type TopicName = (typeof TOPICS)[number];

export type Route =
  | { view: "overview" }
  | { view: "areas"; code: string; indicator: string | null }
  | { view: "topics"; topic: TopicName; area: string }
  | { view: "signin" }
  | { view: "callback" };

export function parse(location: Location | URL): Route {
  const path = location.pathname.replace(new RegExp(`^${BASE}`), "").replace(/\/+$/, "");
  const params = new URLSearchParams(location.search);
  const [, first, second] = path.split("/");
  if (first === "areas") return { view: "areas", code: second || "TH", indicator: params.get("indicator") };
  if (first === "topics") {
    const topic = (TOPICS as readonly string[]).includes(second ?? "") ? (second as TopicName) : "poverty";
    return { view: "topics", topic, area: params.get("area") ?? "TH" };
  }
  if (first === "signin") return { view: "signin" };
  if (first === "callback") return { view: "callback" };
  return { view: "overview" };
}

/** Keeps the fiscal year (`fy`, BE) and language across links. */
export function href(path: string, params: Record<string, string | null | undefined> = {}): string {
  const current = new URLSearchParams(window.location.search);
  const next = new URLSearchParams();
  for (const keep of ["fy", "lang"]) {
    const value = current.get(keep);
    if (value) next.set(keep, value);
  }
  for (const [key, value] of Object.entries(params)) {
    if (value) next.set(key, value); else next.delete(key);
  }
  const query = next.toString();
  return `${BASE}${path}${query ? `?${query}` : ""}`;
}

export function navigate(url: string, replace = false): void {
  if (replace) window.history.replaceState(null, "", url);
  else window.history.pushState(null, "", url);
  window.dispatchEvent(new PopStateEvent("popstate"));
}

export function useLocation(): URL {
  const [url, setUrl] = useState(() => new URL(window.location.href));
  useEffect(() => {
    const update = () => setUrl(new URL(window.location.href));
    window.addEventListener("popstate", update);
    return () => window.removeEventListener("popstate", update);
  }, []);
  return url;
}

/** Same-page links: left clicks stay in the page, everything else behaves like a link. */
export function onLinkClick(event: MouseEvent): void {
  const anchor = (event.target as HTMLElement).closest("a");
  if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey
      || event.shiftKey || anchor.target) return;
  const url = new URL(anchor.href);
  if (url.origin !== window.location.origin || !url.pathname.startsWith(`${BASE}/`)) return;
  if (url.pathname.endsWith(".json")) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
}
