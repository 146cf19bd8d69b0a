// The page of tests/security/csp.test.mjs, served with
// `Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'`.
// It records every policy violation, proves the policy is enforced, then loads the package
// the way an app without a bundler does.
const violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, sample: e.sample });
});
window.violations = violations;

// The policy is in force: a string turned into code is refused (and reported).
try {
  // eslint-disable-next-line no-new-func
  new Function('return 1');
  window.evalAllowed = true;
} catch (e) {
  window.evalAllowed = false;
  window.evalError = e.name;
}

try {
  const webstomp = (await import('./pkg/webstomp_wasm.js')).default;
  window.webstomp = webstomp;
  window.ready = true;
} catch (e) {
  window.loadError = `${e.name}: ${e.message}`;
}
