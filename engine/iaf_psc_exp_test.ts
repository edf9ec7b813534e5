import { ok } from "node:assert/strict";
import { iafPscExp, propagators, pscOverPsp } from "./iaf_psc_exp.ts";

function near(actual: number, expected: number, tolerance: number, what: string) {
  ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} differs from ${expected} by more than ${tolerance}`,
  );
}

Deno.test("PSC over PSP conversion gives the spec's weights (spec validate 1)", () => {
  const k = pscOverPsp(250, 10, 0.5);
  near(k, 585.38996, 1e-4, "PSC_over_PSP");
  near(0.15 * k, 87.8085, 1e-3, "w_exc");
  near(-4 * 0.15 * k, -351.2340, 1e-3, "w_inh");
  near(0.3 * k, 175.6170, 1e-3, "w_L4E→L23E");
});

Deno.test("propagators at h = 0.1 ms match the spec to 1e-6 relative (spec validate 2)", () => {
  const p = propagators(iafPscExp(), 0.1);
  const rel = (a: number, b: number, what: string) => near(a / b, 1, 1e-6, what);
  rel(p.P11ex, 0.81873075, "P11");
  rel(p.P22, 0.99004983, "P22");
  rel(p.P21ex, 3.6067175e-4, "P21");
  rel(p.P20, 3.9800665e-4, "P20");
  ok(p.refractorySteps === 20);
});

Deno.test("P20 keeps full precision when tau_m ≫ h (NEST's expm1 form)", () => {
  // P20 = tau_m/C_m·(1 − e^{−h/tau_m}) → h/C_m·(1 − h/(2 tau_m)); computed as 1 − P22 it was
  // 0 for tau_m = 1e20 ms (P22 rounds to 1) and off by 8e-8 relative for tau_m = 1e9 ms.
  for (const tauM of [1e9, 1e20]) {
    const p = propagators(iafPscExp({ tau_m: tauM }), 0.1);
    const expected = 0.1 / 250 * (1 - 0.1 / (2 * tauM));
    near(p.P20 / expected, 1, 1e-14, `P20 at tau_m = ${tauM}`);
  }
});
