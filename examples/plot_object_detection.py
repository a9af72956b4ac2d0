"""
==========================================
Picking hard images for an object detector
==========================================

Encord Active's third tutorial: an object detector returns, for every image, a
list of detections with class probabilities, and the labeling budget buys
whole images. Encord Active's Mean Object Confidence scores an image by the mean
over its detections of each detection's highest class probability; the
images with the lowest score go to the annotators first.

No detector is downloaded here: a synthetic detection table stands in for
one, with easy images (confident detections), hard images (detections
torn between classes) and a few images where nothing was detected.
"""

import matplotlib.pyplot as plt
import numpy as np

from skactive import select_groups
from skactive.acquisition import mean_object_confidence

rng = np.random.RandomState(0)
classes = ["car", "person", "bicycle"]
n_images = 40
hardness = rng.uniform(0, 1, size=n_images)  # unknown to the sampler
n_detections = rng.poisson(3, size=n_images)
n_detections[[5, 17, 31]] = 0  # the detector found nothing on these

image_of, probabilities = [], []
for image in range(n_images):
    for _ in range(n_detections[image]):
        # Hard images give flat probabilities, easy ones peaked ones.
        concentration = np.full(3, 0.3 + 3 * hardness[image])
        concentration[rng.randint(3)] += 6 * (1 - hardness[image])
        probabilities.append(rng.dirichlet(concentration))
        image_of.append(image)
probabilities = np.array(probabilities)
image_of = np.array(image_of)
print(f"{len(image_of)} detections on {n_images} images")

# %%
# Mean Object Confidence of every image, including those without detections
# (scored 0 by default: only a label tells a miss from an empty image).
images, moc = mean_object_confidence(probabilities, image_of,
                                     all_groups=np.arange(n_images))

# %%
# Select 8 images. ``select_groups`` ranks groups by any per-row
# informativeness (higher first); ``1 - max p`` averaged per image is
# ``1 - MOC``, so this is Encord Active's lowest-MOC-first order.
uncertainty = 1 - probabilities.max(axis=1)
batch = select_groups(uncertainty, image_of, batch_size=8,
                      all_groups=np.arange(n_images), random_state=0)
print("image  detections    MOC  hardness (hidden)")
for image in batch:
    print(f"{image:>5}  {n_detections[image]:>10}  {moc[image]:>5.2f}  "
          f"{hardness[image]:>8.2f}")
others = np.setdiff1d(images, batch)
print(f"mean hidden hardness: selected {hardness[batch].mean():.2f}, "
      f"others {hardness[others].mean():.2f}")

# %%
# The images without detections come first; the others are the
# images whose detections hesitate most between classes.
order = np.argsort(moc, kind="stable")
fig, ax = plt.subplots(figsize=(9, 3.2))
colors = ["C3" if image in batch else "C0" for image in order]
ax.bar(np.arange(n_images), moc[order], color=colors)
ax.set_xticks(np.arange(n_images), order, fontsize=7)
ax.set_xlabel("image (sorted by Mean Object Confidence)")
ax.set_ylabel("Mean Object Confidence")
ax.set_title("Red: the 8 images selected for labeling")
fig.tight_layout()
plt.show()
