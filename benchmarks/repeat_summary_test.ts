// `bench --repeat N` printed N summaries and nothing over them; the closing line gives the
// medians and ranges a reader compares.
import { equal } from "node:assert/strict";
import { formatRepeatSummary } from "./main.ts";

Deno.test("repeat_summary: medians and ranges of RTF and construction", () => {
  equal(
    formatRepeatSummary([
      { rtf: 3, construction_s: 0.5 },
      { rtf: 1, construction_s: 0.7 },
      { rtf: 2, construction_s: 0.6 },
      { rtf: 4, construction_s: 0.4 },
    ]),
    "repeat       4 runs: RTF median 2.500 (1.000–4.000), construction median 0.550 (0.400–0.700) s",
  );
});
