// The sign-in control of the GraphiQL page (api/graphiql.py loads this from /dashboard/graphiql/):
// the dashboard's own sign-in code (../auth/session), a token GraphiQL's fetcher asks for at each
// request (window.areagraphSignIn.headers), renewal before expiry, sign-out, and the month's
// audit trail as a CSV download (it needs the Authorization header, so a plain link would not do).
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import {
  currentSession, keepRenewed, loadConfig, ROLES, SCOPED, signInForDevelopment, signInWithProvider,
  signOut, type GatewayConfig,
} from "../auth/session";

declare global {
  interface Window { areagraphSignIn: { headers(): Record<string, string> } }
}

window.areagraphSignIn = {
  headers(): Record<string, string> {
    const token = currentSession()?.token;
    return token ? { Authorization: `Bearer ${token}` } : {};
  },
};

const TRAIL = "/api/v1/exports/audit-log";

function thisMonth(): string {
  // Audit periods are Bangkok months.
  return new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 7);
}

async function downloadTrail(period: string): Promise<void> {
  const response = await fetch(`${TRAIL}?period=${encodeURIComponent(period)}&format=csv`,
                               { headers: window.areagraphSignIn.headers() });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    throw new Error(body.message ?? `HTTP ${response.status}`);
  }
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = `audit-log-${period}.csv`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

function Control() {
  const [config, setConfig] = useState<GatewayConfig | null>(null);
  const [session, setSession] = useState(currentSession);
  const [role, setRole] = useState("auditor");
  const [area, setArea] = useState("");
  const [period, setPeriod] = useState(thisMonth);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => { loadConfig().then(setConfig, (e: Error) => setProblem(e.message)); }, []);
  useEffect(() => (config && session ? keepRenewed(config, setSession) : undefined), [config, session]);
  // The gateway answers introspection only to signed-in callers: ask GraphiQL for the schema again
  // (its own sidebar button) whenever who is signed in changes.
  const via = session?.via ?? null;
  useEffect(() => {
    document.querySelector<HTMLButtonElement>('button[aria-label="Re-fetch GraphQL schema"]')?.click();
  }, [via]);

  const attempt = (work: () => Promise<unknown>) => {
    setProblem(null);
    work().catch((e: Error) => setProblem(e.message));
  };

  const pick = (event: Event) => {
    event.preventDefault();
    attempt(async () => setSession(await signInForDevelopment({
      roles: [role], areas: area.trim() ? area.split(",").map((a) => a.trim()) : [] })));
  };

  const returnTo = window.location.pathname + window.location.search;
  return (
    <section class="areagraph-signin" aria-label="เข้าสู่ระบบ / Sign in" data-testid="signin">
      {session ? (
        <div data-testid="signed-in" data-via={session.via}>
          <span>เข้าสู่ระบบแล้ว · Signed in{session.identity ? ` (${session.identity.roles.join(", ")})` : ""}</span>
          <label>เดือน · Month <input type="month" name="period" value={period}
                 onInput={(e) => setPeriod((e.target as HTMLInputElement).value)} /></label>
          <button type="button" data-testid="download-trail" onClick={() => attempt(() => downloadTrail(period))}>
            ดาวน์โหลดบันทึกการเข้าถึง (CSV) · Audit trail</button>
          <button type="button" data-testid="sign-out"
                  onClick={() => attempt(async () => { await signOut(config); setSession(null); })}>
            ออกจากระบบ · Sign out</button>
        </div>
      ) : (
        <div>
          {config?.oidc && (
            <button type="button" data-testid="sign-in-provider"
                    onClick={() => attempt(() => signInWithProvider(config, returnTo))}>
              เข้าสู่ระบบ · Sign in</button>
          )}
          {config?.devTokens && (
            <form data-testid="dev-picker" onSubmit={pick}>
              <select name="role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
                {ROLES.map((r) => <option value={r}>{r}</option>)}
              </select>
              <input name="area" value={area} placeholder="พื้นที่ · area" inputMode="numeric" size={6}
                     required={SCOPED.has(role)} onInput={(e) => setArea((e.target as HTMLInputElement).value)} />
              <button type="submit">เข้าสู่ระบบ (สาธิต) · Demo sign-in</button>
            </form>
          )}
          {config && !config.oidc && !config.devTokens && (
            <span>วางโทเค็นในแท็บ Headers · Paste a token into Headers</span>
          )}
        </div>
      )}
      {problem && <p role="alert">{problem}</p>}
    </section>
  );
}

const STYLE = `.areagraph-signin{position:fixed;right:12px;bottom:34px;z-index:10;max-width:30em;
padding:6px 10px;font:13px sans-serif;background:#fff;color:#111;border:1px solid #ccc;border-radius:6px}
.areagraph-signin div,.areagraph-signin form{display:flex;flex-wrap:wrap;gap:6px;align-items:center}
.areagraph-signin p{margin:4px 0 0;color:#a00}`;

const style = document.createElement("style");
style.textContent = STYLE;
document.head.append(style);
const host = document.createElement("div");
document.body.append(host);
render(<Control />, host);
