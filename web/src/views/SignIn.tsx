// Sign in with the ministry's identity provider, or (only when the gateway offers development
// tokens, as `areagraph demo` does) pick a role and an area.
import { useState } from "preact/hooks";
import { signInForDevelopment, signInWithProvider, type GatewayConfig } from "../auth/session";
import { translate, type Lang } from "../i18n";

const ROLES = ["executive", "governor", "district_chief", "department_officer", "complaint_officer",
               "partner", "auditor", "ministry_admin"];
const SCOPED = new Set(["governor", "district_chief", "complaint_officer", "partner"]);

export function SignIn({ config, lang, returnTo, signedIn }: {
  config: GatewayConfig; lang: Lang; returnTo: string; signedIn: () => void;
}) {
  const t = (w: Parameters<typeof translate>[1]) => translate(lang, w);
  const [role, setRole] = useState("executive");
  const [area, setArea] = useState("");
  const [agency, setAgency] = useState("");
  const [topics, setTopics] = useState("");
  const [problem, setProblem] = useState<string | null>(null);

  async function pick(event: Event) {
    event.preventDefault();
    setProblem(null);
    try {
      await signInForDevelopment({
        roles: [role], areas: area.trim() ? area.split(",").map((a) => a.trim()) : [],
        agency: agency.trim() || undefined,
        topics: topics.trim() ? topics.split(",").map((x) => x.trim()) : [],
      });
      signedIn();
    } catch (error) {
      setProblem(String((error as Error).message));
    }
  }

  return (
    <main id="main" class="signin">
      <h1>{t("title")}</h1>
      {config.oidc ? (
        <p><button type="button" class="primary" onClick={() => void signInWithProvider(config, returnTo)}>{t("signInProvider")}</button></p>
      ) : <p class="muted">{t("noSignIn")}</p>}
      {config.devTokens && (
        <form class="card" onSubmit={pick} data-testid="dev-picker">
          <h2>{t("devPicker")}</h2>
          <label>{t("role")}
            <select name="role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
              {ROLES.map((r) => <option value={r}>{r}</option>)}
            </select>
          </label>
          <label>{t("areaCode")}
            <input name="area" value={area} inputMode="numeric" required={SCOPED.has(role)}
                   onInput={(e) => setArea((e.target as HTMLInputElement).value)} />
          </label>
          {role === "department_officer" && (
            <label>{t("agency")}<input name="agency" value={agency} onInput={(e) => setAgency((e.target as HTMLInputElement).value)} /></label>
          )}
          {role === "partner" && (
            <label>{t("topicsGranted")}<input name="topics" value={topics} onInput={(e) => setTopics((e.target as HTMLInputElement).value)} /></label>
          )}
          <button type="submit" class="primary">{t("signIn")}</button>
          {problem && <p class="notice failed" role="alert">{problem}</p>}
        </form>
      )}
    </main>
  );
}
