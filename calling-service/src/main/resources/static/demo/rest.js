// What the service's pages share: reading a REST answer ({success, code, message, data}; a failure throws
// "CODE: message") with the bearer token of the moment, and showing errors. Plain functions, no build step.
"use strict";

/** A function that calls the service's REST API at base (empty: this origin) with the token token() answers. */
function restApi(base, token) {
  return async (path, options = {}) => {
    const bearer = token();
    const response = await fetch(base + path, {
      ...options,
      headers: { "Content-Type": "application/json", ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) },
    });
    const body = await response.json();
    if (!body.success) throw new Error(`${body.code}: ${body.message}`);
    return body.data;
  };
}

/** A function that shows an error in the box, newest first, and keeps it in the list (tests read it). */
function errorShower(box, list) {
  return (message) => {
    list.push(message);
    const line = document.createElement("div");
    line.textContent = message;
    box.prepend(line);
  };
}
