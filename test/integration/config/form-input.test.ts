// The element forms' flat fields become nested input; blank rows are dropped and error keys
// point back at the rows the form showed.
import { describe, expect, test } from "vitest";
import { nestForm, remapFieldErrors } from "../../../server/config/form-input.ts";
import { ZCapabilityInput } from "../../../server/config/element-schemas.ts";
import { fieldErrorsOf } from "../../../server/config/parse-input.ts";

describe("nestForm", () => {
  test("rows become arrays in row order; a blank row in the middle does not shift error keys", () => {
    const { value, fieldKey } = nestForm({
      name: "virtio",
      os: "linux",
      "deps.0.name": "kernel",
      "deps.0.minversion": "2.6.18",
      "deps.1.name": "",
      "deps.1.minversion": "",
      "deps.2.name": "lvm2",
      "deps.2.minversion": "x:y",
      "deps.10.name": "selinux-policy-targeted",
      "deps.10.ifinstalled": "on",
    });
    expect(value).toEqual({
      name: "virtio",
      os: "linux",
      deps: [{ name: "kernel", minversion: "2.6.18" }, { name: "lvm2", minversion: "x:y" }, { name: "selinux-policy-targeted", ifinstalled: "on" }],
    });
    const parsed = ZCapabilityInput.safeParse(value);
    expect(parsed.success).toBe(false);
    const errors = remapFieldErrors(fieldErrorsOf(parsed.error!), fieldKey);
    expect(errors).toEqual({ "deps.2.minversion": ["Unrecognised format for minversion in config: x:y. minversion must be in the format [epoch:]version[-release]."] });
  });

  test("a list of names as deps.N, and plain fields untouched", () => {
    expect(nestForm({ path: "a.rpm", "deps.0": "lvm2", "deps.1": " ", "deps.2": "device-mapper" }).value).toEqual({ path: "a.rpm", deps: ["lvm2", "device-mapper"] });
  });
});
