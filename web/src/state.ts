// What every view shares: language, the API, who the caller is, the fiscal year, and a counter
// that the live subscription bumps so that open views fetch their figures again.
import { createContext } from "preact";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import type { Api, Result } from "./api/client";
import type { DashboardWhoAmIQuery, TypedDocumentString } from "./gql/graphql";
import { translate, type Lang, type Word } from "./i18n";

export interface AppState {
  lang: Lang;
  t: (word: Word) => string;
  api: Api;
  who: DashboardWhoAmIQuery;
  fiscalYear: number; // CE
  liveVersion: number;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (state === null) throw new Error("outside the app");
  return state;
}

export function words(lang: Lang): (word: Word) => string {
  return (word) => translate(lang, word);
}

export interface Query<R> {
  result: Result<R> | null;
  loading: boolean;
}

/** Runs `document` when its variables change and (unless `live` is false) again after live
 * updates, keeping the last answer on screen while the next one is on its way. */
export function useQuery<R, V>(document: TypedDocumentString<R, V>, variables: V | null,
                               live = true): Query<R> {
  const { api, liveVersion: version } = useApp();
  const liveVersion = live ? version : 0;
  const [state, setState] = useState<Query<R>>({ result: null, loading: true });
  const key = JSON.stringify(variables);
  const shownKey = useRef<string | null>(null);
  useEffect(() => {
    if (variables === null) return;
    let current = true;
    if (shownKey.current !== key) setState({ result: null, loading: true });
    void api.query(document, variables).then((result) => {
      if (!current) return;
      shownKey.current = key;
      setState({ result, loading: false });
    });
    return () => { current = false; };
  }, [key, liveVersion]);
  return state;
}
