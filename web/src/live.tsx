// Live: one websocket with three subscriptions (figures, alerts, complaints) for the area in
// view; the page shows when it last heard from the gateway and which sources are stale or down.
import { createContext } from "preact";
import { useContext, useEffect, useState } from "preact/hooks";
import type { Api } from "./api/client";
import {
  DashboardLiveAlertsDocument, DashboardLiveComplaintsDocument, DashboardLiveFiguresDocument,
  DashboardSourceHealthDocument, type DashboardSourceHealthQuery,
} from "./gql/graphql";
import { formatDateTime, formatNumber, formatPeriod, type Lang } from "./i18n";
import { useApp } from "./state";

export type SocketState = "connecting" | "live" | "down";

export interface LiveFigure {
  eventId: string;
  at: string;
  areaCode: string;
  indicatorCode: string;
  period: string;
  value: number;
}

export interface LiveState {
  lastHeard: Date | null;
  socket: SocketState;
  figures: LiveFigure[];
  sources: DashboardSourceHealthQuery["sources"] | null;
}

export const LiveContext = createContext<LiveState>({ lastHeard: null, socket: "connecting", figures: [], sources: null });

const SOURCE_POLL_MS = 10_000;
// Figures show in the live list at once; the views ask again once arrivals pause this long.
const REFRESH_AFTER_MS = 1_000;

/** Subscribes for `areaCode`; calls `changed` (debounced) whenever something arrives. */
export function useLiveSubscriptions(api: Api | null, areaCode: string | null, changed: () => void,
                                     addFigure: (figure: LiveFigure) => void): void {
  useEffect(() => {
    if (api === null || areaCode === null) return;
    let timer: number | undefined;
    const soon = () => { window.clearTimeout(timer); timer = window.setTimeout(changed, REFRESH_AFTER_MS); };
    const stops = [
      api.subscribe(DashboardLiveFiguresDocument, { areaCode }, (data) => {
        addFigure(data.observationRecorded);
        soon();
      }),
      api.subscribe(DashboardLiveAlertsDocument, { areaCode }, soon),
      api.subscribe(DashboardLiveComplaintsDocument, { areaCode }, soon),
    ];
    return () => { window.clearTimeout(timer); stops.forEach((stop) => stop()); };
  }, [api, areaCode]);
}

/** The source systems' health, asked again every few seconds; null when the caller may not see it. */
export function useSourceHealth(api: Api | null, nudge: number): DashboardSourceHealthQuery["sources"] | null {
  const [sources, setSources] = useState<DashboardSourceHealthQuery["sources"] | null>(null);
  useEffect(() => {
    if (api === null) return;
    let alive = true;
    const poll = async () => {
      const result = await api.query(DashboardSourceHealthDocument, {});
      if (alive) setSources(result.data?.sources ?? null);
    };
    void poll();
    const timer = window.setInterval(poll, SOURCE_POLL_MS);
    return () => { alive = false; window.clearInterval(timer); };
  }, [api, nudge]);
  return sources;
}

function sourceWord(status: string): ["sourceUp" | "sourceDegraded" | "sourceDown" | "sourceUnknown", string] {
  if (status === "UP") return ["sourceUp", "✓"];
  if (status === "DEGRADED") return ["sourceDegraded", "!"];
  if (status === "DOWN") return ["sourceDown", "✗"];
  return ["sourceUnknown", "?"];
}

export function LiveStatus() {
  const { t, lang } = useApp();
  const live = useContext(LiveContext);
  const socketWord = live.socket === "live" ? t("socketLive") : live.socket === "down" ? t("socketDown") : t("socketConnecting");
  const troubled = (live.sources ?? []).filter((s) => s.status !== "UP" && s.status !== "UNKNOWN");
  return (
    <div class="live-status" role="status" aria-live="polite">
      <span class={`socket ${live.socket}`} data-socket={live.socket}>
        <span aria-hidden="true">{live.socket === "live" ? "●" : live.socket === "down" ? "○" : "◌"}</span> {socketWord}
      </span>
      <span class="last-heard">
        {t("lastHeard")}: <time data-testid="last-heard">{live.lastHeard ? formatDateTime(lang, live.lastHeard) : t("never")}</time>
      </span>
      {live.sources && (
        <span class="sources" data-testid="sources">
          {t("sources")}:{" "}
          {troubled.length === 0 ? <span class="source up">✓ {t("sourceUp")}</span> : troubled.map((s) => {
            const [word, symbol] = sourceWord(s.status);
            return (
              <span class={`source ${s.status.toLowerCase()}`} data-source={s.name} data-status={s.status}
                    title={s.lastError ?? ""}>
                <span aria-hidden="true">{symbol}</span> {s.name}: {t(word)}
                {s.lastSuccessAt ? ` (${formatDateTime(lang, s.lastSuccessAt)})` : ""}
              </span>
            );
          })}
        </span>
      )}
    </div>
  );
}

export function LiveFeed({ names }: { names: Map<string, string> }) {
  const { t, lang } = useApp();
  const live = useContext(LiveContext);
  return (
    <div class="live-feed">
      {live.figures.length === 0 ? <p class="muted">{t("noLive")}</p> : (
        <ul data-testid="live-figures">
          {live.figures.map((f) => <LiveRow figure={f} lang={lang} name={names.get(f.indicatorCode) ?? f.indicatorCode} />)}
        </ul>
      )}
    </div>
  );
}

function LiveRow({ figure, lang, name }: { figure: LiveFigure; lang: Lang; name: string }) {
  return (
    <li data-indicator={figure.indicatorCode} data-area={figure.areaCode}>
      <strong>{formatNumber(lang, figure.value)}</strong> · {name} · {figure.areaCode} · {formatPeriod(lang, figure.period)}
      <span class="muted"> · {formatDateTime(lang, figure.at)}</span>
    </li>
  );
}
