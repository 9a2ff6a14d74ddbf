/**
 * The base for everything that owns subscriptions, emitters or other disposables, as in VS Code's
 * markdown-language-features: `_register` hands a disposable to its owner, and one `dispose()` frees
 * them all, in reverse order (what was made last may depend on what was made first).
 */
import type * as vscode from 'vscode';

export abstract class Disposable implements vscode.Disposable {
  private readonly _disposables: vscode.Disposable[] = [];
  private _isDisposed = false;

  protected get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Keeps `value` until this object is disposed (at once, if it already is); returns it. */
  protected _register<T extends vscode.Disposable>(value: T): T {
    if (this._isDisposed) value.dispose();
    else this._disposables.push(value);
    return value;
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    for (let i = this._disposables.length - 1; i >= 0; i--) this._disposables[i].dispose();
    this._disposables.length = 0;
  }
}
