// Runs before the workbench's code arrives (a file, not inline: the CSP allows no inline script).
// Someone signed in opening a page of the workbench sees its shell at once (index.html's
// skeleton) instead of a white page while the JavaScript and the first queries load.
try {
  if (localStorage.getItem('jianlian.token') && !/^\/(login|activate)\b/.test(location.pathname)) {
    document.documentElement.classList.add('jl-signed-in');
  }
} catch (e) {
  /* storage unavailable: the page starts as before */
}
