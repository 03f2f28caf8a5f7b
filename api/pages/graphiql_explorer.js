// areagraph's additions to GraphiQL: a plugin listing the example operations (Thai first, the
// English beside), each a link that opens the explorer with that operation loaded; and the
// fetcher's wrapper that asks the sign-in control (web/src/graphiql/signin.tsx) for its token at
// each request, over HTTP and in the websocket's connection_init alike. Headers typed into the
// Headers tab win, so a pasted token still works.
(function () {
  "use strict";
  var data = document.getElementById("areagraph-examples");
  var examples = data ? JSON.parse(data.textContent) : [];
  var h = function () { return window.React.createElement.apply(null, arguments); };

  function Icon() {
    return h("span", { "aria-hidden": "true", style: { fontWeight: 700 } }, "ตย");
  }

  function Content() {
    return h("nav", { "aria-label": "ตัวอย่าง / Examples" },
      h("h2", { style: { marginTop: 0 } }, "ตัวอย่าง · Examples"),
      h("ul", { style: { listStyle: "none", padding: 0, margin: 0 } },
        examples.map(function (e) {
          return h("li", { key: e.name, style: { marginBottom: "1em" } },
            h("a", { href: e.href, "data-example": e.name, lang: "th" }, e.titleTh),
            h("div", { lang: "en", style: { opacity: 0.75 } }, e.titleEn),
            h("div", { lang: "en", style: { opacity: 0.6, fontSize: "0.9em" } }, e.description));
        })));
  }

  window.areagraphSignedInFetcher = function (createFetcher, options) {
    var fetcher = createFetcher(options);
    return function (params, fetcherOptions) {
      var signIn = window.areagraphSignIn;
      var typed = (fetcherOptions && fetcherOptions.headers) || {};
      var headers = Object.assign({}, signIn ? signIn.headers() : {}, typed);
      return fetcher(params, Object.assign({}, fetcherOptions, { headers: headers }));
    };
  };

  window.areagraphExamplesPlugin = { title: "ตัวอย่าง / Examples", icon: Icon, content: Content };
})();
