// Signing in, kept apart from the dashboard so that other pages of the gateway (GraphiQL) can
// use it too: OpenID Connect authorization code with PKCE against the ministry's identity
// provider (oidc-client-ts), or, only where the gateway offers it (`areagraph demo`), a
// development token for a chosen role and area. The token lives in this tab's sessionStorage.
import type { User, UserManager } from "oidc-client-ts";

export interface GatewayConfig {
  graphqlPath: string;
  graphiqlPath: string;
  oidc: { issuer: string; clientId: string; audience: string } | null;
  devTokens: boolean;
}

export interface Session {
  token: string;
  via: "oidc" | "dev";
  expiresAt: number; // epoch milliseconds
  identity?: DevIdentity; // a development token's, so that it can be minted again
}

/** The roles the development picker offers, and those that need an area. */
export const ROLES = ["executive", "governor", "district_chief", "department_officer",
                      "complaint_officer", "partner", "auditor", "ministry_admin"];
export const SCOPED = new Set(["governor", "district_chief", "complaint_officer", "partner"]);

const KEY = "areagraph.session";
const BASE = "/dashboard";

export async function loadConfig(): Promise<GatewayConfig> {
  const response = await fetch(`${BASE}/config.json`, { cache: "no-store" });
  if (!response.ok) throw new Error(`config: HTTP ${response.status}`);
  return (await response.json()) as GatewayConfig;
}

export function currentSession(): Session | null {
  const raw = sessionStorage.getItem(KEY);
  if (raw === null) return null;
  try {
    const session = JSON.parse(raw) as Session;
    if (session.expiresAt > Date.now() + 5_000) return session;
  } catch {
    /* a damaged entry is as good as none */
  }
  sessionStorage.removeItem(KEY);
  return null;
}

function keep(session: Session): Session {
  sessionStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

/** The OIDC client is loaded only when someone signs in with the provider. */
async function userManager(config: GatewayConfig): Promise<UserManager> {
  if (config.oidc === null) throw new Error("this gateway names no identity provider");
  const { UserManager, WebStorageStateStore } = await import("oidc-client-ts");
  return new UserManager({
    authority: config.oidc.issuer,
    client_id: config.oidc.clientId,
    redirect_uri: `${window.location.origin}${BASE}/callback`,
    post_logout_redirect_uri: `${window.location.origin}${BASE}/`,
    response_type: "code", // authorization code; oidc-client-ts always adds PKCE (S256)
    scope: "openid profile offline_access", // a refresh token renews without leaving the page
    extraQueryParams: { audience: config.oidc.audience },
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
}

/** Leaves for the identity provider; it sends the browser back to /dashboard/callback. */
export async function signInWithProvider(config: GatewayConfig, returnTo: string): Promise<void> {
  await (await userManager(config)).signinRedirect({ state: returnTo });
}

/** On /dashboard/callback: trade the code (with the PKCE verifier) for tokens. */
export async function completeProviderSignIn(config: GatewayConfig): Promise<string> {
  const user = await (await userManager(config)).signinRedirectCallback();
  keepUser(user);
  return typeof user.state === "string" ? user.state : `${BASE}/`;
}

function keepUser(user: User): Session {
  return keep({ token: user.access_token, via: "oidc",
                expiresAt: (user.expires_at ?? Date.now() / 1000 + 300) * 1000 });
}

export interface DevIdentity {
  roles: string[];
  areas: string[];
  agency?: string;
  topics?: string[];
}

/** Only on a gateway with development tokens on (the endpoint is absent otherwise). */
export async function signInForDevelopment(identity: DevIdentity): Promise<Session> {
  const response = await fetch(`${BASE}/dev-token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ...identity, subject: `demo-${identity.roles.join("+")}` }),
  });
  const body = (await response.json()) as { token?: string; expires_in?: number; message?: string };
  if (!response.ok || body.token === undefined) {
    throw new Error(body.message ?? `HTTP ${response.status}`);
  }
  return keep({ token: body.token, via: "dev", identity,
                expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 });
}

/** A fresh token before this one runs out: the provider's refresh token, or a development token
 *  minted again for the same role and area. Null when the session cannot be renewed. */
export async function renewSession(config: GatewayConfig): Promise<Session | null> {
  const session = currentSession();
  if (session?.via === "dev" && session.identity) return signInForDevelopment(session.identity);
  if (session?.via === "oidc" && config.oidc) {
    const user = await (await userManager(config)).signinSilent();
    return user ? keepUser(user) : null;
  }
  return null;
}

/** Renews the session when three quarters of its life have passed; returns a cancel function.
 *  `renewed` hears each new session (or null once renewal failed and the session ran out). */
export function keepRenewed(config: GatewayConfig, renewed: (s: Session | null) => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const plan = () => {
    const session = currentSession();
    if (session === null) return;
    const wait = Math.max(1_000, (session.expiresAt - Date.now()) * 0.75);
    timer = setTimeout(() => {
      renewSession(config).then(
        (next) => { renewed(next); plan(); },
        () => renewed(currentSession()));
    }, wait);
  };
  plan();
  return () => clearTimeout(timer);
}

export async function signOut(config: GatewayConfig | null): Promise<void> {
  const session = currentSession();
  sessionStorage.removeItem(KEY);
  if (session?.via === "oidc" && config?.oidc) {
    await (await userManager(config)).removeUser();
  }
}
