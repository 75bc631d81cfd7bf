"""Headless QGIS check of newsmap's OGC API - Features and GeoPackage downloads.

Run with Debian's /usr/bin/python3 (python3-qgis), QT_QPA_PLATFORM=offscreen:

    qgis_check.py BASE_URL LAYER[,LAYER...] [--gpkg NAME=PATH ...] [--bbox NAME=W,S,E,N]
                  [--screenshot PNG [--extent W,S,E,N]]

For each layer it prints one JSON line {"source": "oapif"|"gpkg", "layer", "valid",
"count" (features read), "feature_count" (what the provider reports), "crs", "geometry"},
for each --bbox one line {"source": "oapif-bbox", "layer", "count"}, and with --screenshot
it renders the OGC API layers to a PNG.
"""

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsFeatureRequest,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsPalLayerSettings,
    QgsRectangle,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402


def emit(**kv):
    print(json.dumps(kv, sort_keys=True), flush=True)


def describe(source, name, layer):
    count = sum(1 for _ in layer.getFeatures()) if layer.isValid() else -1
    emit(
        source=source,
        layer=name,
        valid=layer.isValid(),
        count=count,
        feature_count=int(layer.featureCount()) if layer.isValid() else -1,
        crs=layer.crs().authid() if layer.isValid() else "",
        geometry=QgsWkbTypes.geometryDisplayString(layer.geometryType()) if layer.isValid() else "",
    )


def oapif(base, name):
    return QgsVectorLayer("url='%s' typename='%s'" % (base, name), name, "oapif")


STYLE = {
    "regions": ("#d9c9a3", 0.45),
    "routes": ("#c0392b", 1.0),
    "places": ("#1f4e79", 1.0),
    "mentions": ("#e67e22", 0.9),
}


def screenshot(layers, path, box=None):
    """Render the layers (first on top) to a PNG, of box (W,S,E,N) or of all features."""
    extent = QgsRectangle()
    if box:
        extent = QgsRectangle(*box)
    else:
        for name, layer in layers:
            if name in ("mentions", "places", "routes") and layer.featureCount() > 0:
                extent.combineExtentWith(layer.extent())
    if extent.isEmpty():
        for _, layer in layers:
            extent.combineExtentWith(layer.extent())
    if not box:
        extent.scale(1.3)
    # Fill the 3:2 image without distortion.
    if extent.width() < extent.height() * 1.5:
        extent.scale(extent.height() * 1.5 / extent.width(), extent.center())
    for name, layer in layers:
        color, opacity = STYLE.get(name, ("#555555", 1.0))
        sym = layer.renderer().symbol()
        sym.setColor(QColor(color))
        sym.setOpacity(opacity)
        if layer.geometryType() == QgsWkbTypes.PointGeometry:
            sym.setSize(3.2 if name == "places" else 2.2)
        elif layer.geometryType() == QgsWkbTypes.LineGeometry:
            sym.setWidth(0.9)
        if name == "places":
            pal = QgsPalLayerSettings()
            pal.fieldName = "name"
            pal.enabled = True
            fmt = pal.format()
            fmt.setSize(9)
            pal.setFormat(fmt)
            layer.setLabeling(QgsVectorLayerSimpleLabeling(pal))
            layer.setLabelsEnabled(True)
    settings = QgsMapSettings()
    settings.setLayers([layer for _, layer in layers])
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    settings.setBackgroundColor(QColor("#f4f7fa"))
    settings.setOutputSize(QSize(1200, 800))
    settings.setExtent(extent)
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    if not img.save(path, "png"):
        raise SystemExit("could not write " + path)
    emit(source="screenshot", path=path, width=img.width(), height=img.height())


def main(argv):
    base, names = argv[1], argv[2].split(",")
    gpkgs, bboxes, shot, shot_box = [], [], None, None
    i = 3
    while i < len(argv):
        opt, val = argv[i], argv[i + 1]
        i += 2
        if opt == "--gpkg":
            gpkgs.append(val.split("=", 1))
        elif opt == "--bbox":
            name, box = val.split("=", 1)
            bboxes.append((name, [float(x) for x in box.split(",")]))
        elif opt == "--screenshot":
            shot = val
        elif opt == "--extent":
            shot_box = [float(x) for x in val.split(",")]
        else:
            raise SystemExit("unknown option " + opt)

    app = QgsApplication([], False)
    app.initQgis()
    layers = []
    for name in names:
        layer = oapif(base, name)
        describe("oapif", name, layer)
        layers.append((name, layer))
    for name, box in bboxes:
        layer = oapif(base, name)
        req = QgsFeatureRequest().setFilterRect(QgsRectangle(*box))
        emit(source="oapif-bbox", layer=name, count=sum(1 for _ in layer.getFeatures(req)))
    for name, path in gpkgs:
        layer = QgsVectorLayer(path + "|layername=" + name, name, "ogr")
        describe("gpkg", name, layer)
    if shot:
        order = {"mentions": 0, "places": 1, "routes": 2, "regions": 3}
        screenshot(sorted(layers, key=lambda nl: order.get(nl[0], 9)), shot, shot_box)
    del layers
    sys.stdout.flush()
    # QGIS may crash while tearing down providers at exit (exitQgis with layers still
    # referenced by Python); everything is printed and written by now.
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv)
