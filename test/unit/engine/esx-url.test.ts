// Datastore paths as ESX writes them in domain XML -> the https URL of the flat extent
// (virt-v2v 0.9.x Transfer/ESX.pm), and the ESX URI's parts.
import { describe, expect, test } from "vitest";
import { esxDiskUrl, parseEsxUri } from "../../../server/engine/remote-https.ts";

const host = { host: "esx.example", port: undefined };

describe("esxDiskUrl", () => {
  test("[datastore] dir/name.vmdk -> /folder/dir/name-flat.vmdk?dcPath=ha-datacenter&dsName=datastore", () => {
    expect(esxDiskUrl(host, "[datastore1] Fedora11/Fedora11.vmdk")).toBe("https://esx.example/folder/Fedora11/Fedora11-flat.vmdk?dcPath=ha-datacenter&dsName=datastore1");
  });

  test("spaces in the datastore and the folder are percent-encoded; a port is kept", () => {
    expect(esxDiskUrl({ host: "10.0.0.5", port: 8443 }, "[Local SSD] My VM/My VM_1.vmdk")).toBe("https://10.0.0.5:8443/folder/My%20VM/My%20VM_1-flat.vmdk?dcPath=ha-datacenter&dsName=Local%20SSD");
  });

  test("nested directories stay directories; & and # in names do not break the query", () => {
    expect(esxDiskUrl(host, "[ds#1] vms/web/db&1/disk.VMDK")).toBe("https://esx.example/folder/vms/web/db%261/disk-flat.vmdk?dcPath=ha-datacenter&dsName=ds%231");
  });

  test("the fixture's path", () => {
    expect(esxDiskUrl(host, "[datastore] directory/Fedora11.vmdk")).toBe("https://esx.example/folder/directory/Fedora11-flat.vmdk?dcPath=ha-datacenter&dsName=datastore");
  });

  test.each([
    ["/vmfs/volumes/ds1/vm/vm.vmdk", "no [datastore] prefix"],
    ["[] vm/vm.vmdk", "no [datastore] prefix"],
    ["[ ] vm/vm.vmdk", "the datastore name is empty"],
    ["[ds1] vm/vm.img", "not a .vmdk file"],
    ["[ds1] /vm/vm.vmdk", "the path must be relative to the datastore"],
    ["[ds1] ../other/vm.vmdk", "empty, . or .. path segment"],
    ["[ds1] vm//vm.vmdk", "empty, . or .. path segment"],
    ["[ds1]", "no [datastore] prefix"],
  ])("%s is refused: %s", (path, why) => {
    expect(() => esxDiskUrl(host, path)).toThrow(`${path} is not an ESX datastore path (${why}): it should look like [datastore1] guest/guest.vmdk`);
  });
});

describe("parseEsxUri", () => {
  test("user, host, port and no_verify", () => {
    expect(parseEsxUri("esx://root@esx.example/?no_verify=1")).toEqual({ user: "root", host: "esx.example", port: undefined, noVerify: true });
    expect(parseEsxUri("esx://esx.example:8443/")).toEqual({ user: undefined, host: "esx.example", port: 8443, noVerify: false });
  });

  test("a password in the URI, no host, or a bad no_verify are refused", () => {
    expect(() => parseEsxUri("esx://root:hunter2@esx.example/")).toThrow("Put the ESX password in the conversion's credentials, not in the URI");
    expect(() => parseEsxUri("esx://esx.example/?no_verify=yes")).toThrow("no_verify must be 0 or 1");
    expect(() => parseEsxUri("ssh://esx.example/")).toThrow("ssh:// is not an ESX URI");
  });
});
