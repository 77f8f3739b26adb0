import { describe, expect, it } from "vitest";
import { cleanGeneratedTitle, titleFrom } from "@/lib/chat/title";

describe("chat titles", () => {
  it("takes the first words of the first message on one line, at most 60 characters", () => {
    expect(titleFrom("  what is\nan   enclave? ")).toBe("what is an enclave?");
    expect(titleFrom("x".repeat(80))).toBe(`${"x".repeat(59)}…`);
    expect(titleFrom("   ")).toBe("New chat");
  });

  it("cleans what the title model said: label, quotes, markdown, final full stop, extra lines", () => {
    expect(cleanGeneratedTitle('"How Enclaves Prove Their Code"')).toBe("How Enclaves Prove Their Code");
    expect(cleanGeneratedTitle("Title: **Sky colours explained.**\nBecause the user asked…")).toBe("Sky colours explained");
    expect(cleanGeneratedTitle("# “Rayleigh scattering”")).toBe("Rayleigh scattering");
    expect(cleanGeneratedTitle("Why is the sky blue?")).toBe("Why is the sky blue?");
    expect(cleanGeneratedTitle("y".repeat(70))).toBe(`${"y".repeat(59)}…`);
    expect(cleanGeneratedTitle('  \n ""  ')).toBeNull();
  });
});
