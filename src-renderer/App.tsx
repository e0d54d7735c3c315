import { CATEGORIES, KINDS } from '../src-shared/catalog';

/**
 * The studio shell. For now it shows the catalog a designer will drag from; the canvas, inspector and results
 * arrive with the editor and results issues.
 */
export function App() {
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Tock IPC Studio</span>
      </header>
      <main className="catalog">
        {CATEGORIES.map((cat) => (
          <section key={cat.id} className="group">
            <h2>{cat.label}</h2>
            <ul>
              {KINDS.filter((k) => k.category === cat.id).map((k) => (
                <li key={k.kind} title={k.description}>
                  <span className={`icon cat-${k.category}`}>{k.icon}</span>
                  <span className="label">{k.label}</span>
                  <span className="count">{k.params.length} params</span>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </main>
    </div>
  );
}
