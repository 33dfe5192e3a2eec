// A minimal x86_64 ELF relocatable object, standing in for a kernel module (.ko). virt-v2v
// reads a kernel's architecture from its modules with `file` and fails with
// `file_architecture: unknown architecture` on anything that is not a real ELF object;
// writing one here spares the tests a C compiler.

const EHDR = 64;
const SHDR = 64;

/** An ELF64 LSB relocatable for x86-64 with a `.modinfo` section naming the module. */
export function kernelModuleElf(name: string, kernelVersion: string): Buffer {
  const modinfo = Buffer.from(`license=GPL\0vermagic=${kernelVersion} SMP mod_unload gcc-4.1\0name=${name}\0`);
  const shstrtab = Buffer.from("\0.modinfo\0.shstrtab\0");
  const modinfoAt = EHDR;
  const shstrAt = modinfoAt + modinfo.length;
  const shoff = align8(shstrAt + shstrtab.length);
  const out = Buffer.alloc(shoff + 3 * SHDR);

  out.write("\x7fELF", 0, "latin1");
  out[4] = 2; // ELFCLASS64
  out[5] = 1; // little endian
  out[6] = 1; // EV_CURRENT
  out.writeUInt16LE(1, 16); // ET_REL
  out.writeUInt16LE(62, 18); // EM_X86_64
  out.writeUInt32LE(1, 20);
  out.writeBigUInt64LE(BigInt(shoff), 40);
  out.writeUInt16LE(EHDR, 52);
  out.writeUInt16LE(SHDR, 58);
  out.writeUInt16LE(3, 60); // sections: null, .modinfo, .shstrtab
  out.writeUInt16LE(2, 62); // index of .shstrtab

  modinfo.copy(out, modinfoAt);
  shstrtab.copy(out, shstrAt);
  section(out, shoff + SHDR, { name: 1, type: 1, flags: 2, offset: modinfoAt, size: modinfo.length, align: 1 });
  section(out, shoff + 2 * SHDR, { name: 10, type: 3, flags: 0, offset: shstrAt, size: shstrtab.length, align: 1 });
  return out;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

type Section = { name: number; type: number; flags: number; offset: number; size: number; align: number };

function section(out: Buffer, at: number, s: Section): void {
  out.writeUInt32LE(s.name, at);
  out.writeUInt32LE(s.type, at + 4);
  out.writeBigUInt64LE(BigInt(s.flags), at + 8);
  out.writeBigUInt64LE(BigInt(s.offset), at + 24);
  out.writeBigUInt64LE(BigInt(s.size), at + 32);
  out.writeBigUInt64LE(BigInt(s.align), at + 48);
}
