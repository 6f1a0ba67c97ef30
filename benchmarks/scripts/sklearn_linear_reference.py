#!/usr/bin/python3
"""scikit-learn reference quality for the linear learner on ../shared/data/tabular (same train/validation split).

breast_cancer: LogisticRegression on standardised features (accuracy); diabetes: LinearRegression (RMSE);
digits, wine: LogisticRegression on standardised features (accuracy). Prints one JSON object.
Usage: /usr/bin/python3 benchmarks/scripts/sklearn_linear_reference.py [DATA_DIR]
"""
import json
import sys

import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import accuracy_score, mean_squared_error
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

data = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/tabular"


def load(name, part):
    df = pd.read_csv(f"{data}/{name}/{part}/{name}.csv", header=None)
    return df.iloc[:, 1:].to_numpy(float), df[0].to_numpy()


out = {}
for name, task in [("breast_cancer", "cls"), ("diabetes", "reg"), ("digits", "cls"), ("wine", "cls")]:
    xt, yt = load(name, "train")
    xv, yv = load(name, "validation")
    if task == "reg":
        model = LinearRegression().fit(xt, yt)
        out[name] = {"rmse": float(np.sqrt(mean_squared_error(yv, model.predict(xv))))}
    else:
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)).fit(xt, yt)
        out[name] = {"accuracy": float(accuracy_score(yv, model.predict(xv)))}
print(json.dumps(out))
