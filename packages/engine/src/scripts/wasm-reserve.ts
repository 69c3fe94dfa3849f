/**
 * A WebAssembly interpreter module with a spare kept warm. WASM runtimes load asynchronously, but script evaluation
 * is synchronous: when a module must be discarded (a host-level failure escaped from inside it, so its memory can no
 * longer be trusted) the spare takes over at once and a new spare loads in the background. Owns the modules' lifecycle
 * only; never evaluates anything.
 */
import { ScriptRuntimeError } from '../ports/scripts.js';

export class WasmReserve<M> {
  private current: M | undefined;
  private spare: M | undefined;
  private loading: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly name: string,
    private readonly load: () => Promise<M>,
    private readonly dispose: (module: M) => void,
  ) {}

  /** Loads the first module and its spare. */
  static async create<M>(name: string, load: () => Promise<M>, dispose: (module: M) => void): Promise<WasmReserve<M>> {
    const reserve = new WasmReserve(name, load, dispose);
    const [current, spare] = await Promise.all([load(), load()]);
    reserve.current = current;
    reserve.spare = spare;
    return reserve;
  }

  /** The module in service; throws a script error while a replacement is still loading. */
  get(): M {
    if (this.current === undefined) throw new ScriptRuntimeError(`${this.name} runtime is restarting; try again`);
    return this.current;
  }

  /** Discards the module in service and promotes the spare. */
  discard(): void {
    if (this.current !== undefined) this.dispose(this.current);
    this.current = this.spare;
    this.spare = undefined;
    this.refill();
  }

  private refill(): void {
    if (this.loading !== undefined || this.closed) return;
    this.loading = this.load().then(
      (module) => {
        this.loading = undefined;
        if (this.closed) this.dispose(module);
        else if (this.current === undefined) this.current = module;
        else this.spare = module;
        if (this.spare === undefined) this.refill();
      },
      () => {
        this.loading = undefined;
      },
    );
  }

  /** Resolves once no replacement is loading (for tests and orderly shutdown). */
  async settled(): Promise<void> {
    while (this.loading !== undefined) await this.loading;
  }

  close(): void {
    this.closed = true;
    for (const module of [this.current, this.spare]) if (module !== undefined) this.dispose(module);
    this.current = undefined;
    this.spare = undefined;
  }
}
