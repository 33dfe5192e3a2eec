// Whether a path exists (a dangling symlink counts: it would be overwritten); other errors throw.
import { lstat } from "node:fs/promises";

export async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
