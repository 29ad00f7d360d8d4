// static/app.js is imported by the server as a file (its path), not as code.
declare const path: string;
export default path;
