// placeholder so the target builds until the first engine file lands
enum ConvergeEngineNamespace {}
