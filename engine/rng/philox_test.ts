import { deepEqual as assertEquals, equal } from "node:assert/strict";
import { mulhi32, philox4x32 } from "./philox.ts";

Deno.test("philox4x32-10 reproduces the Random123 known-answer vectors", () => {
  // Known-answer tests from Random123's kat_vectors (philox4x32 with 10 rounds).
  const hex = (w: Uint32Array) => [...w].map((x) => x.toString(16).padStart(8, "0"));
  assertEquals(hex(philox4x32([0, 0, 0, 0], [0, 0])), [
    "6627e8d5",
    "e169c58d",
    "bc57ac4c",
    "9b00dbd8",
  ]);
  const f = 0xffffffff;
  assertEquals(hex(philox4x32([f, f, f, f], [f, f])), [
    "408f276d",
    "41c83b0e",
    "a20bc7c6",
    "6d5451fd",
  ]);
  assertEquals(
    hex(philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0])),
    ["d16cfe09", "94fdcceb", "5001e420", "24126ea1"],
  );
});

Deno.test("mulhi32 equals the exact high word of the 64-bit product", () => {
  const pairs = [[0xffffffff, 0xffffffff], [0x12345678, 0x9abcdef0], [1, 0xffffffff], [0, 5]];
  for (const [a, b] of pairs) {
    const exact = Number((BigInt(a) * BigInt(b)) >> 32n);
    equal(mulhi32(a, b), exact);
  }
});
