// Signing in, kept apart from the dashboard so that other pages of the gateway (GraphiQL) can
// use it too: OpenID Connect authorization code with PKCE against the ministry's identity
// provider (oidc-client-ts), or, only where the gateway offers it (`areagraph demo`), a
// development token for a chosen role and area. The token lives in this tab's sessionStorage.
import type { UserManager } from "oidc-client-ts";

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
}

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
    scope: "openid profile",
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
  keep({ token: user.access_token, via: "oidc",
         expiresAt: (user.expires_at ?? Date.now() / 1000 + 300) * 1000 });
  return typeof user.state === "string" ? user.state : `${BASE}/`;
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
  return keep({ token: body.token, via: "dev", expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000 });
}

export async function signOut(config: GatewayConfig | null): Promise<void> {
  const session = currentSession();
  sessionStorage.removeItem(KEY);
  if (session?.via === "oidc" && config?.oidc) {
    await (await userManager(config)).removeUser();
  }
}
