/**
 * The page's first script: opens the live connection (live.js) as soon as its
 * few modules are in, instead of after the whole UI has loaded and started,
 * so that the connection's start (the shared worker, the stream, its hello)
 * runs beside the loading of the rest. app.js then finds it open.
 */
import { connect } from "./live.js";

connect();
