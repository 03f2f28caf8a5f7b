// The page: who is signed in, which view the URL names, the live connection for the area in view.
import { useEffect, useMemo, useState } from "preact/hooks";
import { Api, errorCode } from "./api/client";
import { completeProviderSignIn, currentSession, loadConfig, signOut, type GatewayConfig } from "./auth/session";
import { DashboardWhoAmIDocument, DashboardYearsDocument, type DashboardWhoAmIQuery } from "./gql/graphql";
import { fiscalYearOf, formatFiscalYear, type Lang } from "./i18n";
import { LiveContext, LiveStatus, useLiveSubscriptions, useSourceHealth, type LiveFigure, type SocketState } from "./live";
import { href, navigate, onLinkClick, parse, useLocation, type Route } from "./router";
import { AppContext, words, type AppState } from "./state";
import { Areas } from "./views/Areas";
import { Overview } from "./views/Overview";
import { SignIn } from "./views/SignIn";
import { Topics } from "./views/Topics";

const LIVE_FIGURES_SHOWN = 8;

function chosenLang(url: URL): Lang {
  const asked = url.searchParams.get("lang") ?? localStorage.getItem("areagraph.lang");
  return asked === "en" ? "en" : "th";
}

function areaInView(route: Route, home: string): string {
  if (route.view === "areas") return route.code;
  if (route.view === "topics") return route.area;
  return home;
}

export function App() {
  const url = useLocation();
  const route = parse(url);
  const lang = chosenLang(url);
  const [config, setConfig] = useState<GatewayConfig | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [sessionVersion, setSessionVersion] = useState(0);
  const [who, setWho] = useState<DashboardWhoAmIQuery | null>(null);
  const [lastHeard, setLastHeard] = useState<Date | null>(null);
  const [socket, setSocket] = useState<SocketState>("connecting");
  const [figures, setFigures] = useState<LiveFigure[]>([]);
  const [liveVersion, setLiveVersion] = useState(0);
  const [sourceNudge, setSourceNudge] = useState(0);
  const [latestYear, setLatestYear] = useState<number | null>(null);

  useEffect(() => { document.documentElement.lang = lang; localStorage.setItem("areagraph.lang", lang); }, [lang]);
  useEffect(() => { loadConfig().then(setConfig, (e: Error) => setProblem(e.message)); }, []);
  useEffect(() => {
    if (config && route.view === "callback") {
      completeProviderSignIn(config).then((to) => { setSessionVersion((v) => v + 1); navigate(to, true); },
                                          (e: Error) => setProblem(e.message));
    }
  }, [config, route.view]);

  const session = useMemo(() => currentSession(), [sessionVersion]);
  const api = useMemo(() => {
    if (config === null || session === null) return null;
    return new Api(config.graphqlPath, () => currentSession()?.token ?? null, setLastHeard, setSocket,
                   () => setSourceNudge((n) => n + 1));
  }, [config, session]);
  useEffect(() => () => api?.close(), [api]);

  useEffect(() => {
    if (api === null) return;
    // Early in a fiscal year no targets are set yet: open on the latest year that has them.
    const now = fiscalYearOf(new Date());
    void api.query(DashboardYearsDocument, {}).then((result) => {
      const years = (result.data?.targets ?? []).map((t) => t.fiscalYear).filter((y) => y <= now);
      setLatestYear(years.length ? Math.max(...years) : now);
    });
    void api.query(DashboardWhoAmIDocument, {}).then((result) => {
      if (result.data?.me) setWho(result.data);
      else if (errorCode(result.errors) === "UNAUTHENTICATED" || result.data?.me === null) {
        void signOut(config).then(() => setSessionVersion((v) => v + 1));
      } else setProblem(result.errors.map((e) => e.message).join("; "));
    });
  }, [api]);

  const home = who?.me?.areaScope[0] ?? "TH";
  const liveArea = who ? areaInView(route, home) : null;
  useLiveSubscriptions(api, liveArea, () => setLiveVersion((v) => v + 1),
                       (figure) => setFigures((old) => [figure, ...old].slice(0, LIVE_FIGURES_SHOWN)));
  const sources = useSourceHealth(who ? api : null, sourceNudge);

  const fyParam = Number(url.searchParams.get("fy"));
  const fiscalYear = fyParam > 2500 ? fyParam - 543 : latestYear ?? fiscalYearOf(new Date());
  const t = words(lang);

  if (problem) return <main id="main"><div class="notice failed" role="alert">{problem}</div></main>;
  if (config === null || route.view === "callback") return <main id="main"><p class="loading">{t("loading")}</p></main>;
  if (session === null || route.view === "signin") {
    const returnTo = route.view === "signin" ? href("/") : url.pathname + url.search;
    return <SignIn config={config} lang={lang} returnTo={returnTo}
                   signedIn={() => { setSessionVersion((v) => v + 1); if (route.view === "signin") navigate(href("/"), true); }} />;
  }
  if (who === null || api === null || latestYear === null) return <main id="main"><p class="loading">{t("loading")}</p></main>;

  const state: AppState = { lang, t, api, who, fiscalYear, liveVersion };
  const switchLang = new URL(url.href);
  switchLang.searchParams.set("lang", lang === "th" ? "en" : "th");
  const years = [0, 1, 2, 3].map((back) => fiscalYearOf(new Date()) - back);
  if (!years.includes(fiscalYear)) years.push(fiscalYear);
  return (
    <AppContext.Provider value={state}>
      <LiveContext.Provider value={{ lastHeard, socket, figures, sources }}>
        <div onClick={onLinkClick as never}>
          <a class="skip" href="#main">{t("skip")}</a>
          <header class="top">
            <p class="brand">{t("title")}</p>
            <nav aria-label="main">
              <ul>
                <li><a href={href("/")} aria-current={route.view === "overview" ? "page" : undefined}>{t("overview")}</a></li>
                <li><a href={href(`/areas/${home}`)} aria-current={route.view === "areas" ? "page" : undefined}>{t("areas")}</a></li>
                <li><a href={href("/topics/poverty", { area: home })} aria-current={route.view === "topics" ? "page" : undefined}>{t("topics")}</a></li>
                <li><a href={config.graphiqlPath} data-external="graphiql">{t("graphiql")}</a></li>
              </ul>
            </nav>
            <label class="inline">{t("fiscalYear")}{" "}
              <select value={url.searchParams.get("fy") ?? ""} onChange={(e) => {
                const next = new URL(window.location.href);
                const value = (e.target as HTMLSelectElement).value;
                if (value) next.searchParams.set("fy", value); else next.searchParams.delete("fy");
                navigate(next.pathname + next.search);
              }}>
                <option value="">{formatFiscalYear(lang, latestYear)} ({lang === "th" ? "ล่าสุดที่มีเป้าหมาย" : "latest with targets"})</option>
                {years.map((y) => <option value={String(y + 543)}>{formatFiscalYear(lang, y)}</option>)}
              </select>
            </label>
            <a class="lang" href={switchLang.pathname + switchLang.search} lang={lang === "th" ? "en" : "th"}>{t("language")}</a>
            <span class="who" data-testid="who">{t("signedInAs")}: {who.me!.subject} · {who.me!.roles.join(", ")}
              {who.me!.areaScope.length > 0 && ` · ${who.me!.areaScope.join(", ")}`}</span>
            <button type="button" onClick={() => void signOut(config).then(() => { setWho(null); setSessionVersion((v) => v + 1); })}>{t("signOut")}</button>
          </header>
          <LiveStatus />
          <main id="main" tabIndex={-1}>
            {route.view === "overview" && <Overview areaCode={home} />}
            {route.view === "areas" && <Areas code={route.code} indicator={route.indicator} />}
            {route.view === "topics" && <Topics topic={route.topic} area={route.area} />}
          </main>
        </div>
      </LiveContext.Provider>
    </AppContext.Provider>
  );
}

