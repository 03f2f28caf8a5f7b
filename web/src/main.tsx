import "@fontsource/sarabun/thai-400.css";
import "@fontsource/sarabun/thai-700.css";
import "@fontsource/sarabun/latin-400.css";
import "@fontsource/sarabun/latin-700.css";
import "./styles.css";
import { render } from "preact";
import { App } from "./App";

const root = document.getElementById("app")!;
root.textContent = ""; // the "loading" line shown before this script ran
render(<App />, root);
