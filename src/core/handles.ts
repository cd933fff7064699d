// DAP variable references: small integers standing for engine objects, valid until the program
// runs again (VS Code asks again after every stop).

export class Handles<T> {
  private next = 1;
  private readonly items = new Map<number, T>();

  create(value: T): number {
    const handle = this.next++;
    this.items.set(handle, value);
    return handle;
  }

  get(handle: number): T | undefined {
    return this.items.get(handle);
  }

  reset(): void {
    this.items.clear();
  }
}
